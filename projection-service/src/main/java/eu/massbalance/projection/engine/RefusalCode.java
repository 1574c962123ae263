package eu.massbalance.projection.engine;

/**
 * Why the engine refused an event (or a part of one): stable, machine-readable, each with the
 * rule it enforces. {@code docs/rules.md} lists them; a table test drives every one.
 */
public enum RefusalCode {
    // any event
    EVENT_INVALID("log"),
    EVENT_UNPROCESSABLE("log"),
    SITE_MISMATCH("log"),
    SITE_NOT_CONFIGURED("R-06"),

    // site set-up
    PERIOD_LENGTH_INVALID("R-08"),
    PERIOD_REASON_REQUIRED("R-08"),
    FIRST_PERIOD_REQUIRED("R-08"),
    TIME_ZONE_INVALID("R-08"),
    PERIOD_GRID_LOCKED("R-08"),
    PRODUCTS_REQUIRED("R-06"),
    PRODUCT_INVALID("R-06"),
    PRODUCT_DUPLICATE("R-06"),
    PRODUCT_IN_USE("R-06"),
    BLEND_GROUP_INVALID("R-07"),
    BLEND_GROUP_PRODUCT_UNKNOWN("R-07"),
    BLEND_GROUP_OVERLAP("R-07"),
    BLEND_GROUP_UNIT_MISMATCH("R-07"),
    ESCALATION_POLICY_INVALID("R-17"),

    // certificates
    CERTIFICATE_INVALID("R-16"),
    CERTIFICATE_VALIDITY_INVALID("R-16"),
    CERTIFICATE_UNKNOWN("R-16"),

    // deliveries
    DUPLICATE_DELIVERY("R-20"),
    OCCURRED_AT_REQUIRED("R-09"),
    DELIVERY_BEFORE_FIRST_PERIOD("R-09"),
    PRODUCT_NOT_AT_SITE("R-06"),
    QUANTITY_NOT_POSITIVE("R-14"),
    UNIT_CONVERSION_MISSING("R-02"),
    UNIT_CONVERSION_INVALID("R-02"),
    LINE_AMOUNT_NOT_POSITIVE("R-14"),
    SUSTAINABLE_EXCEEDS_QUANTITY("R-14"),
    BATCH_ID_REQUIRED("R-01"),
    CHARACTERISTICS_REQUIRED("R-02"),
    BATCH_LINE_DUPLICATE("R-01"),
    BATCH_PRODUCT_CONFLICT("R-01"),
    BATCH_CHARACTERISTICS_CONFLICT("R-01"),
    OUTBOUND_CHARACTERISTICS_NOT_ALLOWED("R-03"),
    ALLOCATION_BATCH_REQUIRED("R-11"),
    MIXTURE_MISMATCH("R-07"),
    GHG_SAVING_BELOW_THRESHOLD("R-19"),

    // going live
    OPENING_STOCK_TOO_LATE("R-11"),
    OPENING_STOCK_ALREADY_DECLARED("R-11"),

    // reversals
    DELIVERY_UNKNOWN("R-15"),
    DELIVERY_ALREADY_REVERSED("R-15"),
    REVERSAL_PERIOD_CLOSED("R-15"),
    REVERSAL_INBOUND_DRAWN("R-15"),

    // period close
    PERIOD_REQUIRED("R-10"),
    PERIOD_UNKNOWN("R-08"),
    PERIOD_ALREADY_CLOSED("R-15"),
    PERIOD_CLOSE_OUT_OF_ORDER("R-09"),

    // the one merge allowed
    MERGE_INVALID("R-05"),
    BATCH_ID_IN_USE("R-05"),
    BATCH_NOT_ON_HAND("R-05"),
    MERGE_PRODUCT_DIFFERS("R-05"),
    MERGE_COUNTRY_DIFFERS("R-05"),
    MERGE_TRANSPORT_EMISSIONS_MISSING("R-05"),
    MERGE_CHARACTERISTICS_DIFFER("R-05"),
    MERGE_WOULD_AVERAGE("R-04"),

    // the deviation workflow
    DEVIATION_UNKNOWN("R-18"),
    DEVIATION_CLOSED("R-18"),
    REASON_REQUIRED("R-16"),
    CLASS_REQUIRED("R-16"),
    CLASS_UNCHANGED("R-16"),
    ACTION_PLAN_REQUIRED("R-18"),

    // transfers between sites
    TRANSFER_TO_SAME_SITE("R-22"),
    TRANSFER_NOT_COVERED("R-22"),
    TRANSFER_UNKNOWN("R-22"),
    TRANSFER_ALREADY_RECEIVED("R-22"),
    TRANSFER_NOT_REVERSIBLE("R-22"),

    // processing
    PROCESSING_OUTPUT_REQUIRED("R-23"),
    PROCESSING_OUTPUT_DUPLICATE("R-23"),
    PROCESSING_FACTOR_INVALID("R-23"),
    PROCESSING_OUTPUT_EXCEEDS_FACTOR("R-23"),
    PROCESSING_INPUT_NOT_COVERED("R-23"),
    PROCESSING_OUTPUT_INVALID("R-23"),
    PROCESSING_NOT_REVERSIBLE("R-23");

    private final String rule;

    RefusalCode(String rule) {
        this.rule = rule;
    }

    /** The rule this refusal enforces ({@code R-xx}), or {@code log} for the log's own integrity. */
    public String rule() {
        return rule;
    }
}
