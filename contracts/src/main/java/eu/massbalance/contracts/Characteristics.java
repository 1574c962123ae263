package eu.massbalance.contracts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sustainability characteristics of a batch, as an open structure: a material
 * profile id plus named fields. A field value is a {@link String}, a {@link Boolean}, a
 * {@link Measure}, or a {@link List} of such values; absent and {@code null} are the same.
 * Two batches with equal characteristics are one batch; the characteristics always
 * travel together. Which fields a profile requires is checked by its
 * {@link MaterialProfile}, so new material profiles need no change here or in the engine.
 */
public record Characteristics(String profile, SortedMap<String, Object> fields) {

    /**
     * Evidence that travels with a delivery of a batch but is not one of its characteristics
     * "plus evidence"): a batch received again under another proof of sustainability is
     * still the same batch.
     */
    public static final Set<String> EVIDENCE_FIELDS = Set.of(
            "proofOfSustainability", "certificateId", "transportDocument", "productionPlant", "supplierId");

    public Characteristics {
        Objects.requireNonNull(profile, "profile");
        TreeMap<String, Object> copy = new TreeMap<>();
        if (fields != null) {
            fields.forEach((name, value) -> {
                if (value != null) {
                    copy.put(name, canonical(value));
                }
            });
        }
        fields = Collections.unmodifiableSortedMap(copy);
    }

    public static Characteristics of(String profile, Map<String, ?> fields) {
        return new Characteristics(profile, new TreeMap<>(fields));
    }

    private static Object canonical(Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Measure) {
            return value;
        }
        if (value instanceof BigDecimal number) {
            return plain(number);
        }
        if (value instanceof Number number) {
            return plain(new BigDecimal(number.toString()));
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Characteristics::canonical).toList();
        }
        throw new IllegalArgumentException("Unsupported characteristic value: " + value.getClass().getSimpleName());
    }

    /** A number as plain text; one whose plain form would be absurdly long is refused rather than written out. */
    private static String plain(BigDecimal number) {
        if (Math.abs((long) number.precision() - number.scale()) > 40 || Math.abs((long) number.scale()) > 40) {
            throw new IllegalArgumentException("A number in the characteristics is out of range: " + number.precision()
                    + " digits at scale " + number.scale());
        }
        return number.stripTrailingZeros().toPlainString();
    }

    public Optional<String> text(String name) {
        return fields.get(name) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    public Optional<Boolean> flag(String name) {
        return fields.get(name) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    public Optional<Measure> measure(String name) {
        return fields.get(name) instanceof Measure m ? Optional.of(m) : Optional.empty();
    }

    public Optional<LocalDate> date(String name) {
        try {
            return text(name).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The characteristics that make a batch what it is: everything but the evidence. */
    public Characteristics identity() {
        return without(EVIDENCE_FIELDS.toArray(String[]::new));
    }

    public Characteristics with(String name, Object value) {
        TreeMap<String, Object> copy = new TreeMap<>(fields);
        copy.put(name, value);
        return new Characteristics(profile, copy);
    }

    public Characteristics without(String... names) {
        TreeMap<String, Object> copy = new TreeMap<>(fields);
        for (String name : names) {
            copy.remove(name);
        }
        return new Characteristics(profile, copy);
    }
}
