package dev.pipeline.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains the relay queues and delivers each event once to its target: one execution on a state machine, one
 * asynchronous invocation of a Lambda function ({@link FunctionDelivery}). Runs on demand (right after the
 * gateway forwards a write that can emit events) and on a background poll while relays exist.
 * Idempotency key: the queue message; the execution name is derived from it (a redelivered message finds its
 * execution already started), and function deliveries remember it.
 */
final class RelayWorker {
    private static final Logger LOG = Logger.getLogger(RelayWorker.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long POLL_MILLIS = 250;
    /** Receives of one message before it is given up (AWS retries for up to 24 h; locally a few seconds is enough). */
    static final int MAX_ATTEMPTS = 5;

    private final RelayRegistry registry;
    private final MotoClients moto;
    private final FunctionDelivery functions;
    /** One drain at a time: a message is received by one drain only, and an on-demand drain waits for a running poll. */
    private final ReentrantLock drainLock = new ReentrantLock();
    private Thread poller; // guarded by this

    RelayWorker(RelayRegistry registry, MotoClients moto, FunctionDelivery functions) {
        this.registry = registry;
        this.moto = moto;
        this.functions = functions;
    }

    /** Starts the background poll if relays exist and it is not running. */
    synchronized void ensurePolling() {
        if (poller == null && !registry.isEmpty()) {
            poller = Thread.ofPlatform().daemon().name("event-relay-poll").start(this::pollLoop);
        }
    }

    /** Stops the background poll and waits for it (a drain under way finishes first). */
    void stop() {
        Thread t;
        synchronized (this) {
            t = poller;
            poller = null;
        }
        if (t == null) return;
        t.interrupt();
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers every event waiting in every relay queue; never throws (failures stay queued for the poll). */
    void drainAll() {
        try {
            // bounded, so a write never hangs behind a stuck drain; the poll delivers what this one leaves
            if (!drainLock.tryLock(10, TimeUnit.SECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            for (Relay relay : registry.all()) {
                try {
                    drain(relay);
                } catch (SdkException e) {
                    // moto busy or resetting, a queue removed meanwhile: the next drain tries again
                    LOG.log(Level.FINE, "relay drain failed for " + relay.key(), e);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "relay drain failed for " + relay.key(), e);
                }
            }
        } finally {
            drainLock.unlock();
        }
    }

    private void pollLoop() {
        while (true) {
            synchronized (this) {
                if (poller != Thread.currentThread()) return;
                if (registry.isEmpty()) {
                    // checked under the same lock ensurePolling takes, so a relay added now starts a new poller
                    poller = null;
                    return;
                }
            }
            drainAll();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void drain(Relay relay) {
        Boolean ruleEnabled = null;
        for (int batch = 0; batch < 100; batch++) {
            List<Message> messages = moto.sqs().receiveMessage(b -> b.queueUrl(relay.queueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (messages.isEmpty()) return;
            if (ruleEnabled == null) ruleEnabled = ruleEnabled(relay);
            for (Message m : messages) {
                boolean done = !ruleEnabled || deliver(relay, m);
                if (done) moto.sqs().deleteMessage(b -> b.queueUrl(relay.queueUrl()).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** moto delivers to DISABLED rules too; AWS does not, so their events are dropped here. */
    private boolean ruleEnabled(Relay relay) {
        try {
            return moto.events().describeRule(b -> b.name(relay.key().rule()).eventBusName(relay.key().bus()))
                    .state() != RuleState.DISABLED;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /**
     * Delivers one message to the relay's target: starts the execution, or has the function invoked. True when
     * the message is done with (delivered, or never will be).
     */
    private boolean deliver(Relay relay, Message m) {
        String deliveryKey = relay.queueArn() + "/" + m.messageId();
        ObjectNode event;
        try {
            JsonNode raw = JSON.readTree(m.body());
            if (!raw.isObject()) throw new IllegalArgumentException("not a JSON object");
            event = RelayedEvent.normalize((ObjectNode) raw, deliveryKey, relay.account());
        } catch (Exception e) {
            LOG.warning("event relay: dropping unreadable event for " + relay.targetArn() + ": " + e.getMessage());
            return true;
        }
        String input = relay.input().apply(event);
        return switch (relay.kind()) {
            case STATE_MACHINE -> startExecution(relay, m, deliveryKey, input);
            case LAMBDA_FUNCTION -> {
                // done once accepted, as for an asynchronous invocation; the function's own errors are logged there
                functions.deliver(deliveryKey, relay.functionName(), input, relay.key().rule());
                yield true;
            }
        };
    }

    private boolean startExecution(Relay relay, Message m, String deliveryKey, String input) {
        // AWS generates the execution name; a name derived from the message keeps a redelivery idempotent
        String name = UUID.nameUUIDFromBytes(deliveryKey.getBytes(StandardCharsets.UTF_8)).toString();
        try {
            moto.sfn().startExecution(b -> b.stateMachineArn(relay.targetArn()).name(name).input(input));
            return true;
        } catch (ExecutionAlreadyExistsException e) {
            return true; // started by an earlier delivery of this message whose delete did not happen
        } catch (SfnException e) {
            if (e.statusCode() >= 400 && e.statusCode() < 500) {
                // no such state machine, bad input...: AWS does not retry these either (they would go to a DLQ)
                LOG.warning("event relay: rule " + relay.key().rule() + " could not start " + relay.targetArn()
                        + ": " + e.awsErrorDetails().errorMessage());
                return true;
            }
            return givenUp(relay, m, e);
        } catch (SdkException e) {
            return givenUp(relay, m, e);
        }
    }

    private static boolean givenUp(Relay relay, Message m, Exception e) {
        int attempts = Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
        if (attempts < MAX_ATTEMPTS) return false; // visible again after the queue's visibility timeout
        LOG.warning("event relay: giving up on an event for " + relay.targetArn() + " after " + attempts
                + " attempts: " + e.getMessage());
        return true;
    }
}
