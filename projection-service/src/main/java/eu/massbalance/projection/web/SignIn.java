package eu.massbalance.projection.web;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Signing in to the workspace: the OpenID Connect authorization code flow with PKCE (S256), done by
 * the Nimbus OAuth 2.0 SDK against the provider's discovery document. The state and code verifier
 * wait in a short-lived HttpOnly cookie scoped to the callback; the access token the provider
 * issues is kept in an HttpOnly, SameSite=Lax cookie, from which the service verifies it on every
 * request exactly as it verifies a bearer token (signature, issuer, expiry, roles). Nothing about
 * the person is stored on the server.
 */
@Path("/app")
@PermitAll
public class SignIn {

    private static final Logger LOG = Logger.getLogger(SignIn.class);

    static final String TOKEN_COOKIE = "massbalance_token";
    static final String SIGN_IN_COOKIE = "massbalance_signin";

    @ConfigProperty(name = "massbalance.web.issuer")
    Optional<String> issuer;

    @ConfigProperty(name = "massbalance.web.client-id", defaultValue = "massbalance-web")
    String clientId;

    private volatile OIDCProviderMetadata provider;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response login(@QueryParam("next") String next, @Context UriInfo uri) {
        if (issuer.isEmpty()) {
            return Response.status(503).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("Sign-in is not configured: set MASSBALANCE_WEB_ISSUER to the identity provider's issuer URL").build();
        }
        OIDCProviderMetadata metadata = provider();
        State state = new State();
        CodeVerifier verifier = new CodeVerifier();
        URI request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID(clientId), callback(uri))
                .endpointURI(metadata.getAuthorizationEndpointURI()).state(state).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        NewCookie pending = new NewCookie.Builder(SIGN_IN_COOKIE).value(state.getValue() + "." + verifier.getValue() + "." + safeNext(next))
                .path("/app/callback").httpOnly(true).secure(isHttps(uri)).sameSite(NewCookie.SameSite.LAX).maxAge(600).build();
        return Response.seeOther(request).cookie(pending).build();
    }

    @GET
    @Path("callback")
    @Produces(MediaType.TEXT_HTML)
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state, @QueryParam("error") String error,
                             @Context HttpHeaders headers, @Context UriInfo uri) {
        Cookie pending = headers.getCookies().get(SIGN_IN_COOKIE);
        String[] parts = pending == null ? new String[0] : pending.getValue().split("\\.", 3);
        if (error != null || code == null || code.length() > 4096 || parts.length != 3 || !parts[0].equals(state)) {
            // a callback this browser did not start, or one the provider refused: start again
            return Response.seeOther(URI.create("/app/login")).build();
        }
        try {
            TokenRequest exchange = new TokenRequest(provider().getTokenEndpointURI(), new ClientID(clientId),
                    new AuthorizationCodeGrant(new AuthorizationCode(code), callback(uri), new CodeVerifier(parts[1])));
            TokenResponse response = OIDCTokenResponseParser.parse(exchange.toHTTPRequest().send());
            if (!response.indicatesSuccess()) {
                LOG.warnf("The identity provider refused the code exchange: %s", response.toErrorResponse().getErrorObject());
                return Response.status(401).type(MediaType.TEXT_PLAIN_TYPE).entity("Sign-in refused by the identity provider").build();
            }
            AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
            NewCookie session = new NewCookie.Builder(TOKEN_COOKIE).value(token.getValue()).path("/").httpOnly(true)
                    .secure(isHttps(uri)).sameSite(NewCookie.SameSite.LAX)
                    .maxAge(token.getLifetime() > 0 ? (int) token.getLifetime() : 300).build();
            NewCookie done = new NewCookie.Builder(SIGN_IN_COOKIE).value("").path("/app/callback").maxAge(0).build();
            return Response.seeOther(URI.create(parts[2])).cookie(session, done).build();
        } catch (Exception e) {
            LOG.warnf("Sign-in failed: %s", e.toString());
            return Response.status(502).type(MediaType.TEXT_PLAIN_TYPE).entity("The identity provider could not be reached").build();
        }
    }

    @jakarta.inject.Inject
    FormGuard guard;

    @jakarta.inject.Inject
    io.quarkus.security.identity.SecurityIdentity identity;

    @jakarta.inject.Inject
    org.eclipse.microprofile.jwt.JsonWebToken token;

    /** Forgets the token here and ends the provider's session too; from a page of the workspace only (its form token). */
    @POST
    @Path("logout")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@Context UriInfo uri, @Context jakarta.ws.rs.core.HttpHeaders headers,
                           @jakarta.ws.rs.FormParam("csrf") String csrf) {
        if (!identity.isAnonymous()) {
            Optional<String> forged = guard.refusal(token.getRawToken(), csrf, headers, uri.getRequestUri());
            if (forged.isPresent()) {
                return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE).entity(forged.get()).build();
            }
        }
        NewCookie gone = new NewCookie.Builder(TOKEN_COOKIE).value("").path("/").httpOnly(true).maxAge(0).build();
        URI after = uri.getBaseUriBuilder().path("/app/").build();
        URI end = issuer.isEmpty() || provider().getEndSessionEndpointURI() == null ? after
                : URI.create(provider().getEndSessionEndpointURI() + "?client_id=" + clientId + "&post_logout_redirect_uri="
                + java.net.URLEncoder.encode(after.toString(), java.nio.charset.StandardCharsets.UTF_8));
        return Response.seeOther(end).cookie(gone).build();
    }

    private OIDCProviderMetadata provider() {
        OIDCProviderMetadata metadata = provider;
        if (metadata == null) {
            try {
                metadata = OIDCProviderMetadata.resolve(new Issuer(issuer.orElseThrow()), 5000, 5000);
                provider = metadata;
            } catch (Exception e) {
                throw new IllegalStateException("The identity provider's discovery document could not be read: " + e.getMessage(), e);
            }
        }
        return metadata;
    }

    private static URI callback(UriInfo uri) {
        return uri.getBaseUriBuilder().path("/app/callback").build();
    }

    private static boolean isHttps(UriInfo uri) {
        return "https".equals(uri.getBaseUri().getScheme());
    }

    /** Only a path of the workspace itself: never an address elsewhere (an open redirect). */
    static String safeNext(String next) {
        return next != null && next.matches("/app(/[A-Za-z0-9._~%/?=&-]*)?") && !next.contains("//") ? next : "/app/";
    }
}
