package eu.massbalance.stack;

import java.util.List;
import java.util.Map;

/** Where the local stack's callers get their tokens, and what the services need to verify them. */
public interface Identity {

    /** The demo organisation of the local stack. */
    String ORG = "demo-org";
    /** The demo organisation's ERP client, granted the demo's sites. */
    String ERP_CLIENT = "demo-erp";
    /** The demo's second organisation, a battery-materials chain (a recycler, a refinery, a cathode plant). */
    String BATTERY_ORG = "nordic-battery";
    /** Its ERP client, granted its sites. */
    String BATTERY_ERP_CLIENT = "battery-erp";
    /** Its back office: a compliance officer's service account that registers its sites. */
    String BATTERY_OFFICE_CLIENT = "battery-office";

    /** The environment that points a service at the provider's keys and issuer. */
    Map<String, String> serviceEnv();

    /**
     * A bearer token of the demo caller with this role: erp, compliance-officer, auditor or admin of
     * {@link #ORG}; battery-erp or battery-officer of {@link #BATTERY_ORG}.
     */
    String token(String role);

    /** Lines for the banner: how a person gets a token. */
    List<String> howToSignIn(String projectionUrl);
}
