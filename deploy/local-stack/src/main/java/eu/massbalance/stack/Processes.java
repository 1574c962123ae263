package eu.massbalance.stack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

final class Processes {

    private Processes() {
    }

    /** Asks the process to stop (SIGTERM), waits for it, and kills it if it does not exit in time. */
    static void stop(Process process, Duration grace) {
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
