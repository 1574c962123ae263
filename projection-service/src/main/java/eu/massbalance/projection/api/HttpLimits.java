package eu.massbalance.projection.api;

import eu.massbalance.contracts.RequestLimits;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request's size limits, answered as problem+json before anything reads the request: a URI
 * longer than {@code projection.http.max-uri-length} is 414, headers larger than
 * {@code projection.http.max-header-bytes} are 431, a declared body larger than
 * {@code quarkus.http.limits.max-body-size} is 413. The HTTP codec's own limits are set well
 * above these (application.properties) so that requests reach this check. What the codec refuses
 * itself never reaches the application and is answered without a body: a URI or header block
 * beyond its 64 KiB limits, and a request line it cannot parse (such as a broken percent-escape
 * anywhere in the URI), answered 400. Quarkus does not expose Vert.x's
 * invalid-request hook, which would close that gap.
 */
@Singleton
public class HttpLimits {

    @ConfigProperty(name = "projection.http.max-uri-length", defaultValue = "4096")
    int maxUriLength;

    @ConfigProperty(name = "projection.http.max-header-bytes", defaultValue = "16384")
    int maxHeaderBytes;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    io.quarkus.runtime.configuration.MemorySize maxBody;

    void install(@Observes Router router) {
        RequestLimits limits = new RequestLimits(maxUriLength, maxHeaderBytes, maxBody.asLongValue());
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            long headerBytes = 0;
            for (Map.Entry<String, String> header : context.request().headers()) {
                headerBytes += header.getKey().length() + header.getValue().length() + 4L;
            }
            limits.check(context.request().uri().length(), headerBytes, context.request().getHeader(HttpHeaders.CONTENT_LENGTH))
                    .ifPresentOrElse(refusal -> refuse(context, refusal), context::next);
        });
    }

    private static void refuse(RoutingContext context, RequestLimits.Refusal refusal) {
        JsonObject problem = new JsonObject()
                .put("type", Problems.TYPE + refusal.code().toLowerCase().replace('_', '-'))
                .put("title", refusal.title()).put("status", refusal.status()).put("detail", refusal.detail())
                .put("code", refusal.code()).put("errors", new JsonArray());
        context.response().setStatusCode(refusal.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
        if (context.request().version() != HttpVersion.HTTP_2) {
            // the rest of an oversized body is not read: the connection ends with this answer
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().end(problem.encode());
    }
}
