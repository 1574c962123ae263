package eu.massbalance.testinfra;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

public final class Processes {

    private Processes() {
    }

    /** Asks the process to stop (SIGTERM), waits for it, and kills it if it does not exit in time. */
    public static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
