package dev.pipeline.provision.verify;

import java.net.URI;

/** Asks the site one question from outside: what does a GET of this URL answer? */
@FunctionalInterface
public interface SiteProbe {

    /**
     * The answer, or a failure.
     *
     * @param status   the HTTP status, or 0 when no answer came
     * @param location the Location header of a redirect, else null
     * @param error    why no answer came, else null
     */
    record Answer(int status, String location, String error) {
        public static Answer failed(String error) {
            return new Answer(0, null, error);
        }
    }

    Answer get(URI url);
}
