package dev.pipeline.local.events;

import dev.pipeline.local.lambda.FunctionDefinition;
import dev.pipeline.local.lambda.LocalLambdaRuntime;
import dev.pipeline.local.testfns.RecordingHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Relayed events reach a function once per delivery, asynchronously, against the in-process runtime alone. */
class FunctionDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final LocalLambdaRuntime lambda = new LocalLambdaRuntime();
    private final FunctionDelivery delivery = new FunctionDelivery(lambda);

    @BeforeEach
    void register() {
        RecordingHandler.INPUTS.clear();
        lambda.register(FunctionDefinition.of("recorder", RecordingHandler.class));
    }

    @AfterEach
    void close() {
        lambda.close();
    }

    @Test
    void redeliveredMessage_invokesNothingTheSecondTime() {
        long mark = delivery.mark();

        FunctionDelivery.Outcome first = delivery.deliver("queue/m-1", "recorder", "{\"n\":1}", "rule");
        FunctionDelivery.Outcome again = delivery.deliver("queue/m-1", "recorder", "{\"n\":1}", "rule");
        delivery.awaitAcceptedAfter(mark, WAIT);

        assertThat(first).isEqualTo(FunctionDelivery.Outcome.INVOKED);
        assertThat(again).isEqualTo(FunctionDelivery.Outcome.DUPLICATE);
        assertThat(RecordingHandler.INPUTS).extracting(i -> i.path("n").asInt()).containsExactly(1);
    }

    @Test
    void twoMessages_invokeTwice() {
        long mark = delivery.mark();

        delivery.deliver("queue/m-1", "recorder", "{\"n\":1}", "rule");
        delivery.deliver("queue/m-2", "recorder", "{\"n\":2}", "rule");
        delivery.awaitAcceptedAfter(mark, WAIT);

        assertThat(RecordingHandler.INPUTS).extracting(i -> i.path("n").asInt()).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void functionError_isDeliveredOnce_andNotRetried() {
        long mark = delivery.mark();

        FunctionDelivery.Outcome outcome = delivery.deliver("queue/m-1", "recorder", "{\"fail\":true}", "rule");
        delivery.awaitAcceptedAfter(mark, WAIT);

        assertThat(outcome).isEqualTo(FunctionDelivery.Outcome.INVOKED);
        assertThat(RecordingHandler.INPUTS).hasSize(1);
    }

    @Test
    void unknownFunction_isDropped_andTheDeliveryNotRemembered() {
        long mark = delivery.mark();
        FunctionDelivery.Outcome outcome = delivery.deliver("queue/m-1", "missing", "{}", "rule");

        assertThat(outcome).isEqualTo(FunctionDelivery.Outcome.NO_SUCH_FUNCTION);
        assertThat(delivery.deliver("queue/m-1", "recorder", "{}", "rule")).isEqualTo(FunctionDelivery.Outcome.INVOKED);
        delivery.awaitAcceptedAfter(mark, WAIT);
        assertThat(RecordingHandler.INPUTS).hasSize(1);
    }

    @Test
    void afterForget_theSameKeyInvokesAgain() {
        long mark = delivery.mark();
        delivery.deliver("queue/m-1", "recorder", "{\"n\":1}", "rule");

        delivery.forget();
        delivery.deliver("queue/m-1", "recorder", "{\"n\":1}", "rule");
        delivery.awaitAcceptedAfter(mark, WAIT);

        assertThat(RecordingHandler.INPUTS).hasSize(2);
    }
}
