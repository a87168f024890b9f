package dev.pipeline.local.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account and region a request acts in, as moto sees them: idempotency records (client tokens, caller
 * references) are scoped by it, as AWS scopes them. Keyed by the caller's access key.
 */
public record CallerScope(String account, String region) {
    private static final Pattern AUTH_CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/]+)/");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("(?:^|&)X-Amz-Credential=([^&%/]+)(?:%2F|/)\\d{8}(?:%2F|/)([^&%/]+)");
    private static final Pattern ACCOUNT = Pattern.compile("<Account>([^<]+)</Account>");
    /** What moto assumes for an unsigned request. */
    private static final String MOTO_ANONYMOUS_KEY = "AKIAEXAMPLE";

    /**
     * Resolves scopes; caches access key → account (moto's answer only changes when IAM keys do, so the owner
     * clears it on reset).
     */
    public static final class Resolver {
        private final Map<String, String> accountByKey = new ConcurrentHashMap<>();

        public CallerScope of(AwsRequest request, MotoForwarder moto) throws IOException, InterruptedException {
            String key = MOTO_ANONYMOUS_KEY;
            String region = "us-east-1";
            Matcher m = request.header("Authorization") == null ? null : AUTH_CREDENTIAL.matcher(request.header("Authorization"));
            if (m != null && m.find()) {
                key = m.group(1);
                region = m.group(2);
            } else if (request.rawQuery() != null && (m = QUERY_CREDENTIAL.matcher(request.rawQuery())).find()) {
                key = m.group(1);
                region = m.group(2);
            }
            // moto's own order: MOTO_ACCOUNT_ID (answered by STS below), then this header, then the access key
            String header = request.header("x-moto-account-id");
            if (header != null) return new CallerScope(header, region);
            String account = accountByKey.get(key);
            if (account == null) {
                account = askMoto(key, moto);
                accountByKey.put(key, account);
            }
            return new CallerScope(account, region);
        }

        public void clear() { accountByKey.clear(); }

        /**
         * Asks moto's STS who the key belongs to, rather than assuming the default account: keys made with
         * IAM CreateAccessKey, and MOTO_ACCOUNT_ID, map elsewhere.
         */
        private static String askMoto(String accessKey, MotoForwarder moto) throws IOException, InterruptedException {
            GatewayResponse r = moto.send("POST", "/", Map.of(
                    "Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey
                            + "/20200101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",
                    "Content-Type", "application/x-www-form-urlencoded"),
                    "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8));
            Matcher m = ACCOUNT.matcher(r.bodyText());
            if (!r.ok() || !m.find()) {
                throw new IOException("moto STS GetCallerIdentity failed: HTTP " + r.status() + " " + r.bodyText());
            }
            return m.group(1);
        }
    }
}
