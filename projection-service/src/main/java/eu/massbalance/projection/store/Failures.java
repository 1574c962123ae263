package eu.massbalance.projection.store;

import java.sql.SQLException;

/**
 * Tells a failure of the infrastructure from one caused by a record. A database error of class 22
 * (data exception: a numeric overflow, a date out of range, a NUL byte), 23 (integrity constraint)
 * or 54 (program limit, such as an index row too large) is the record's, and so is any failure of
 * the engine. Every other database error (connection lost, serialization failure, out of memory or
 * disk, shutdown) is the infrastructure's: the batch is not set aside but tried again, and if it
 * still cannot be stored the projection reports itself DOWN and resumes after a restart.
 */
final class Failures {

    private Failures() {
    }

    static boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || !(state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
            }
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** A short reason that can be stored and shown: the first line of the message, printable, bounded. */
    static String reason(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof SQLException) {
                break;
            }
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        int newline = message.indexOf('\n');
        message = (newline < 0 ? message : message.substring(0, newline)).replaceAll("[\\p{Cntrl}\\p{Cs}]", "?");
        if (message.length() > 500) {
            message = message.substring(0, 500) + "…";
        }
        return (root instanceof SQLException ? "The store refused the rows of this event: " : "The engine failed on this event: ")
                + message;
    }
}
