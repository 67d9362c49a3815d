package io.github.glidesocket.sample;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link LettuceSampleApplicationTests} with the key-value socket served by event loops.
 */
@TestPropertySource(properties = "sample.resp.connection-mode=event-loop")
class EventLoopLettuceSampleApplicationTests extends LettuceSampleApplicationTests {

}
