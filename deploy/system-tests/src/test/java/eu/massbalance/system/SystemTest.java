package eu.massbalance.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Both packaged services, started once per test class and stopped after it. */
abstract class SystemTest {

    static SystemUnderTest system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = new SystemUnderTest();
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
            system = null;
        }
    }
}
