package io.github.glidesocket.sample;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link LettuceSampleApplicationTests} with each connection of the key-value socket on its own
 * thread.
 */
@TestPropertySource(properties = "sample.resp.connection-mode=thread-per-connection")
class ThreadPerConnectionLettuceSampleApplicationTests extends LettuceSampleApplicationTests {

}
