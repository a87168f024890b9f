package dev.pipeline.provision.verify;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * {@link SiteProbe} over the JDK's HttpURLConnection (no extra client on the Lambda's cold start). Redirects are
 * not followed: with HTTPS on, port 80 answers a redirect, which is itself the answer we check.
 */
public final class HttpSiteProbe implements SiteProbe {
    private final Duration timeout;

    public HttpSiteProbe(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Answer get(URI url) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("User-Agent", "war-pipeline-verify");
            int status = c.getResponseCode();
            String location = c.getHeaderField("Location");
            drain(c);
            return new Answer(status, location, null);
        } catch (IOException | IllegalArgumentException e) {
            return Answer.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (c != null) c.disconnect();
        }
    }

    private static void drain(HttpURLConnection c) {
        try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The status is all we wanted.
        }
    }

}
