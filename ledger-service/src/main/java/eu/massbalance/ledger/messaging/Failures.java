package eu.massbalance.ledger.messaging;

import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure of the infrastructure (the database or the broker unreachable, slow or
 * overloaded) from a failure caused by the input. The first is nobody's record's fault: the
 * records are tried again after a restart or when the infrastructure is back. The second is set
 * aside with its reason. A database error of class 22 (data exception), 23 (integrity constraint)
 * or 54 (program limit, such as an index row too large) is the input's; every other database
 * error, a retriable broker error and a time-out are the infrastructure's.
 */
final class Failures {

    private Failures() {
    }

    static boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || !(state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
            }
            if (t instanceof RetriableException || t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof InterruptedException || t instanceof org.apache.kafka.common.errors.InterruptException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
