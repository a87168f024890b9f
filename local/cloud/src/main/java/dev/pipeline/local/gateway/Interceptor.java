package dev.pipeline.local.gateway;

/**
 * Fills one of moto's gaps: answers (or rewrites) the requests it claims, and leaves the rest to moto.
 * Interceptors run in registration order; the first that returns a response wins.
 */
public interface Interceptor {

    /** The answer to {@code request}, or null to pass it on (to the next interceptor, then moto). */
    GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception;

    /**
     * Whether this interceptor also sees Lambda's Invoke, which the gateway answers itself before the other
     * interceptors: true for authorization (IAM), which must judge every call before anything answers it.
     */
    default boolean authorizesInvoke() { return false; }

    /** Forgets all state; called when the local cloud is reset. */
    default void reset() {}

    /** Stops background work for good; called when the local cloud closes. */
    default void close() { reset(); }
}
