package dev.pipeline.local.events;

import dev.pipeline.local.lambda.LocalLambdaRuntime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers relayed events to Lambda function targets the way EventBridge does: an asynchronous invocation
 * (Lambda's {@code Event} invocation type) in the local Lambda runtime. A delivery is done once the invocation
 * is accepted; the function runs in the background, and a function error is logged, not retried.
 * Idempotency key: the delivery (relay queue ARN + message id). Lambda has no server-side key like an execution
 * name, so the keys of accepted deliveries are remembered here and a redelivered message invokes nothing.
 */
final class FunctionDelivery {
    private static final Logger LOG = Logger.getLogger(FunctionDelivery.class.getName());
    /** Delivery keys remembered; far more than the events of any local run, and bounded all the same. */
    static final int REMEMBERED_DELIVERIES = 10_000;

    /** What happened to one delivery. */
    enum Outcome {
        /** The invocation was accepted and runs in the background. */
        INVOKED,
        /** This delivery was invoked before (a redelivered message): nothing invoked. */
        DUPLICATE,
        /** No such function in the local runtime: nothing invoked, dropped with a warning. */
        NO_SUCH_FUNCTION
    }

    private final LocalLambdaRuntime lambda;
    private final Map<String, Boolean> accepted = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DELIVERIES;
        }
    }; // guarded by this
    private final AtomicLong sequence = new AtomicLong();
    /** Invocations still running, by the sequence number they were accepted under. */
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> running = new ConcurrentSkipListMap<>();

    FunctionDelivery(LocalLambdaRuntime lambda) {
        this.lambda = lambda;
    }

    /**
     * Invokes {@code function} asynchronously with {@code payload}, unless {@code deliveryKey} was invoked before.
     *
     * @param rule for the log: the rule the event came through
     */
    Outcome deliver(String deliveryKey, String function, String payload, String rule) {
        if (!lambda.has(function)) {
            // AWS: EventBridge cannot invoke it, retries for up to 24 h, then drops it or sends it to a DLQ
            LOG.warning("event relay: rule " + rule + " targets function " + function
                    + ", which the local Lambda runtime does not have; the event is dropped");
            return Outcome.NO_SUCH_FUNCTION;
        }
        long seq;
        synchronized (this) {
            if (accepted.putIfAbsent(deliveryKey, Boolean.TRUE) != null) return Outcome.DUPLICATE;
            seq = sequence.incrementAndGet();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        running.put(seq, done);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("event-relay-invoke-" + function).start(() -> {
            try {
                LocalLambdaRuntime.Invocation inv = lambda.invoke(function, bytes);
                if (inv.functionError()) {
                    // AWS retries a failed asynchronous invocation twice by default; locally it is not retried
                    LOG.warning("event relay: function " + function + " failed on an event of rule " + rule + ": "
                            + inv.payloadText());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event relay: could not invoke function " + function, e);
            } finally {
                running.remove(seq);
                done.complete(null);
            }
        });
        return Outcome.INVOKED;
    }

    /** The sequence number of the latest accepted invocation: pass it to {@link #awaitAcceptedAfter}. */
    long mark() { return sequence.get(); }

    /**
     * Waits, at most {@code max}, until every invocation accepted after {@code mark} has finished. Invocations
     * accepted earlier are not waited for: one of them may be the very function whose write is waiting here.
     */
    void awaitAcceptedAfter(long mark, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (CompletableFuture<Void> f : running.tailMap(mark, false).values()) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return; // still running: it finishes in the background, as an asynchronous invocation does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // never completed exceptionally
            }
        }
    }

    /** Forgets the deliveries seen (after a reset, no old message can come back). */
    synchronized void forget() {
        accepted.clear();
    }
}
