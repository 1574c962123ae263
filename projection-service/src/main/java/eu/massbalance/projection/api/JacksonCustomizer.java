package eu.massbalance.projection.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import eu.massbalance.contracts.json.LedgerJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** REST speaks the contracts' JSON: decimals as strings, units by symbol, open characteristics. */
@Singleton
public class JacksonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        LedgerJson.configure(mapper);
    }
}
