package eu.massbalance.projection.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The workspace's words, in English here and in Swedish in {@code messages/msg_sv.properties}. */
@MessageBundle(value = "msg", locale = "en")
public interface WebMessages {

    @Message("Mass-balance ledger")
    String product();

    @Message("Sites")
    String sites();

    @Message("Deviations")
    String deviations();

    @Message("Sign out")
    String signOut();

    @Message("Signed in as {name}, {roles}")
    String signedInAs(String name, String roles);

    @Message("Site")
    String site();

    @Message("Organisation")
    String organisation();

    @Message("Open period")
    String openPeriod();

    @Message("Last closed")
    String lastClosed();

    @Message("Open deviations")
    String openDeviations();

    @Message("Events on the log")
    String events();

    @Message("Periods")
    String periods();

    @Message("Period")
    String period();

    @Message("Status")
    String status();

    @Message("Balance per product")
    String balancePerProduct();

    @Message("Balance per batch")
    String balancePerBatch();

    @Message("Product")
    String productColumn();

    @Message("Batch")
    String batch();

    @Message("Opening")
    String opening();

    @Message("In")
    String in();

    @Message("Out")
    String out();

    @Message("Closing")
    String closing();

    @Message("Claimed")
    String claimed();

    @Message("Uncovered")
    String uncovered();

    @Message("Pending")
    String pending();

    @Message("Sustainable stock through the period")
    String stockChart();

    @Message("Movements")
    String movements();

    @Message("Delivery")
    String delivery();

    @Message("Date")
    String date();

    @Message("Direction")
    String direction();

    @Message("Quantity")
    String quantity();

    @Message("Sustainable")
    String sustainable();

    @Message("Download CSV")
    String downloadCsv();

    @Message("Stock on hand")
    String stockOnHand();

    @Message("Trace of batch {batch}")
    String traceOf(String batch);

    @Message("Characteristics")
    String characteristics();

    @Message("Supplier")
    String supplier();

    @Message("Transport document")
    String transportDocument();

    @Message("Proof of sustainability")
    String proof();

    @Message("Class")
    String deviationClass();

    @Message("Rule")
    String rule();

    @Message("Raised")
    String raised();

    @Message("History")
    String history();

    @Message("Files")
    String files();

    @Message("Yearly report {year} (XLSX)")
    String yearlyReport(int year);

    @Message("Refusals")
    String refusals();

    @Message("Chain verification")
    String verification();

    @Message("Nothing here yet.")
    String nothing();

    @Message("Language")
    String language();

    @Message("Journal with chain hashes and signed statements")
    String journalExport();

    @Message("Signed statement (JWS)")
    String statement();

    @Message("MAJOR deviations arrive live; the list also refreshes every minute")
    String live();

    @Message("Deviation")
    String deviation();

    @Message("Sent to the ledger as event {eventId}. It shows here once the projection has applied it.")
    String sent(String eventId);

    @Message("Its status")
    String commandStatus();

    @Message("upgraded from")
    String upgradedFrom();

    @Message("Description")
    String description();

    @Message("Action plan")
    String actionPlan();

    @Message("Resolution")
    String resolution();

    @Message("Deliveries concerned")
    String deliveriesAffected();

    @Message("Batches concerned")
    String batchesAffected();

    @Message("Act on this deviation")
    String act();

    @Message("Reclassify")
    String reclassify();

    @Message("New class")
    String newClass();

    @Message("Reason (required)")
    String reason();

    @Message("Add the action plan")
    String addActionPlan();

    @Message("Close the deviation")
    String closeDeviation();

    @Message("Not done")
    String actionFailed();

    @Message("Back")
    String back();

    @Message("Close the period")
    String closePeriod();

    @Message("Only after the period has ended; periods close in order, once.")
    String closePeriodHint();

    @Message("New MAJOR deviation at %site%: %rule%")
    String majorArrived();

    @Message("Audit sample")
    String sample();

    @Message("Seed")
    String seed();

    @Message("Weighted by risk")
    String weighted();

    @Message("yes")
    String yes();

    @Message("no")
    String no();

    @Message("Log position")
    String logPosition();

    @Message("Drawn from")
    String drawnFrom();

    @Message("{count} movements")
    String movementsCount(int count);

    @Message("Drawn by")
    String drawnBy();

    @Message("Method")
    String method();

    @Message("The sample as CSV, to check against paper")
    String sampleCsv();

    @Message("The drawn movements, in the order drawn")
    String sampleCaption();

    @Message("Risks")
    String risks();

    @Message("Weight")
    String weight();

    @Message("Draw an audit sample")
    String drawSample();

    @Message("Number of movements")
    String sampleSize();

    @Message("Seed (empty: a random one, recorded)")
    String seedOptional();

    @Message("Weighted by risk (large quantities, late postings, deviations, lapsed certificates)")
    String weightedByRisk();

    @Message("Audit samples")
    String samples();

    @Message("Books as at the end of")
    String asOfDate();

    @Message("or log position")
    String asOfSeq();

    @Message("Show")
    String show();

    @Message("As it stands now")
    String asItStands();

    @Message("The books as they stood at log position {seq} (dates in {zone}); recomputed from the journal.")
    String shownAsOf(String seq, String zone);

    @Message("Chain")
    String chain();

    @Message("From")
    String fromDate();

    @Message("To (inclusive)")
    String toDate();

    @Message("Transfers between sites")
    String transfers();

    @Message("From / to")
    String transferCounterpart();

    @Message("Dispatched")
    String dispatched();

    @Message("Received")
    String received();

    @Message("Sustainable lost")
    String sustainableLost();

    @Message("in")
    String transferIn();

    @Message("out")
    String transferOut();

    @Message("How this batch came and went")
    String batchChanges();

    @Message("Sent to")
    String changeTransferredTo();

    @Message("Came from")
    String changeTransferredFrom();

    @Message("Processed into")
    String changeProcessedInto();

    @Message("Made of")
    String changeProcessedFrom();

    @Message("Merged into")
    String changeMergedInto();

    @Message("Merged from")
    String changeMergedFrom();

    @Message("Disqualified")
    String changeDisqualified();
}
