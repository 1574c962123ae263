package eu.massbalance.testinfra;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the topics the services need, if they are missing. */
public final class TopicAdmin {

    /** The ledger is the event store: it keeps its events for ever. */
    private static final Map<String, String> RETAIN_FOREVER = Map.of("retention.ms", "-1", "retention.bytes", "-1");

    private TopicAdmin() {
    }

    /** Creates the missing ones among {@code names}, signed in with {@code adminConfig} (a principal allowed to). */
    public static void create(Map<String, Object> adminConfig, Collection<String> names, int partitions) {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, partitions, (short) 1).configs(RETAIN_FOREVER))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not create topics " + names + " on " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
