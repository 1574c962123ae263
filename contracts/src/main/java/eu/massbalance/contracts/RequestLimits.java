package eu.massbalance.contracts;

import java.util.Optional;

/**
 * The size limits of an HTTP request to either service, decided from what arrives first (the
 * URI, the headers, the declared body length) before anything reads the request. Each service
 * answers a refusal as problem+json with the status, title and code given here.
 */
public record RequestLimits(int maxUriLength, long maxHeaderBytes, long maxBodyBytes) {

    /** Why a request is not read: an HTTP status with its problem's title, code and detail. */
    public record Refusal(int status, String title, String code, String detail) {
    }

    /** {@code headerBytes} counts names and values plus their separators; {@code contentLength} as sent, or null. */
    public Optional<Refusal> check(int uriLength, long headerBytes, String contentLength) {
        if (uriLength > maxUriLength) {
            return Optional.of(new Refusal(414, "URI Too Long", "URI_TOO_LONG", "The request URI is " + uriLength
                    + " characters; at most " + maxUriLength + " are accepted"));
        }
        if (headerBytes > maxHeaderBytes) {
            return Optional.of(new Refusal(431, "Request Header Fields Too Large", "HEADERS_TOO_LARGE", "The request headers are "
                    + headerBytes + " bytes; at most " + maxHeaderBytes + " are accepted"));
        }
        if (contentLength == null) {
            return Optional.empty();
        }
        long declared;
        try {
            declared = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return Optional.of(new Refusal(400, "Bad Request", "CONTENT_LENGTH_INVALID", "Content-Length is not a number"));
        }
        return declared <= maxBodyBytes ? Optional.empty() : Optional.of(new Refusal(413, "Content Too Large", "BODY_TOO_LARGE",
                "The body is " + declared + " bytes; at most " + maxBodyBytes + " are accepted"));
    }
}
