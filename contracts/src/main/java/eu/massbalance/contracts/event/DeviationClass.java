package eu.massbalance.contracts.event;

/** */
public enum DeviationClass { OBSERVATION, MINOR, MAJOR }
