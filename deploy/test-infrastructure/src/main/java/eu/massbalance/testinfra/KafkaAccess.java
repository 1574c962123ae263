package eu.massbalance.testinfra;

import eu.massbalance.contracts.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the broker: one SCRAM principal per service and one per organisation's ERP,
 * each with the ACLs of its part and nothing more (the broker refuses everything else, since no
 * ACL means no access). The same grants are written out for operators in docs/operations.md.
 * <ul>
 * <li>{@code ledger-service} reads every organisation's ERP topic, writes the ledger and the
 *     rejected topic;</li>
 * <li>{@code projection-service} reads the ledger, writes the deviations, period results and every
 *     organisation's outcomes;</li>
 * <li>{@code erp-<organisation>} writes its organisation's ERP topic and reads its outcome topic only.</li>
 * </ul>
 */
public final class KafkaAccess {

    public static final String LEDGER_SERVICE = "ledger-service";
    public static final String PROJECTION_SERVICE = "projection-service";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private KafkaAccess() {
    }

    /** The principal an organisation's ERP systems produce as. */
    public static String erpPrincipal(String organisationId) {
        return "erp-" + organisationId;
    }

    /** Client settings for a SCRAM principal over SASL_PLAINTEXT (a real deployment adds TLS: SASL_SSL). */
    public static Map<String, Object> client(String bootstrapServers, String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        return config;
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Creates or resets SCRAM principals (name → password). */
    public static void upsertUsers(Admin admin, Map<String, String> passwords) {
        List<UserScramCredentialUpsertion> upserts = new ArrayList<>();
        passwords.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        await(() -> admin.alterUserScramCredentials(new ArrayList<>(upserts)).all().get(30, TimeUnit.SECONDS));
    }

    /** The grants of the two services. */
    public static List<AclBinding> serviceAcls() {
        List<AclBinding> acls = new ArrayList<>();
        String ledger = "User:" + LEDGER_SERVICE;
        acls.add(allow(ResourceType.TOPIC, Topics.ERP_DELIVERIES_PREFIX, PatternType.PREFIXED, ledger, AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, Topics.ERP_DELIVERIES_PREFIX, PatternType.PREFIXED, ledger, AclOperation.DESCRIBE));
        acls.add(allow(ResourceType.GROUP, LEDGER_SERVICE, PatternType.LITERAL, ledger, AclOperation.READ));
        // the transfers the projection dispatched, read in a group of their own
        acls.add(allow(ResourceType.TOPIC, Topics.TRANSFERS, PatternType.LITERAL, ledger, AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, Topics.TRANSFERS, PatternType.LITERAL, ledger, AclOperation.DESCRIBE));
        acls.add(allow(ResourceType.GROUP, LEDGER_SERVICE + "-transfers", PatternType.LITERAL, ledger, AclOperation.READ));
        for (String topic : List.of(Topics.LEDGER, Topics.REJECTED)) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, ledger, AclOperation.WRITE));
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, ledger, AclOperation.DESCRIBE));
        }
        String projection = "User:" + PROJECTION_SERVICE;
        acls.add(allow(ResourceType.TOPIC, Topics.LEDGER, PatternType.LITERAL, projection, AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, Topics.LEDGER, PatternType.LITERAL, projection, AclOperation.DESCRIBE));
        // its groups: projection-service; projection-sse-<instance>, in which every instance streams MAJOR
        // deviations to its SSE clients; projection-rebuild-…, a rebuild into a fresh database
        acls.add(allow(ResourceType.GROUP, "projection-", PatternType.PREFIXED, projection, AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, Topics.DEVIATIONS, PatternType.LITERAL, projection, AclOperation.READ));
        for (String topic : List.of(Topics.DEVIATIONS, Topics.PERIOD_RESULTS, Topics.TRANSFERS)) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, projection, AclOperation.WRITE));
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, projection, AclOperation.DESCRIBE));
        }
        acls.add(allow(ResourceType.TOPIC, Topics.OUTCOMES_PREFIX, PatternType.PREFIXED, projection, AclOperation.WRITE));
        acls.add(allow(ResourceType.TOPIC, Topics.OUTCOMES_PREFIX, PatternType.PREFIXED, projection, AclOperation.DESCRIBE));
        return acls;
    }

    /**
     * The grants of one organisation's ERP principal: write its own ERP topic, read its own outcome
     * topic in groups named after it, nothing else.
     */
    public static List<AclBinding> erpAcls(String organisationId) {
        String topic = Topics.erpDeliveries(organisationId);
        String outcomes = Topics.outcomes(organisationId);
        String principal = erpPrincipal(organisationId);
        String erp = "User:" + principal;
        return List.of(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, erp, AclOperation.WRITE),
                allow(ResourceType.TOPIC, topic, PatternType.LITERAL, erp, AclOperation.DESCRIBE),
                allow(ResourceType.TOPIC, outcomes, PatternType.LITERAL, erp, AclOperation.READ),
                allow(ResourceType.TOPIC, outcomes, PatternType.LITERAL, erp, AclOperation.DESCRIBE),
                allow(ResourceType.GROUP, principal, PatternType.PREFIXED, erp, AclOperation.READ));
    }

    public static void grant(Admin admin, Collection<AclBinding> acls) {
        await(() -> admin.createAcls(acls).all().get(30, TimeUnit.SECONDS));
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private interface Call {
        void run() throws ExecutionException, InterruptedException, TimeoutException;
    }

    private static void await(Call call) {
        try {
            call.run();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The broker refused an access change", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
