package io.github.glidesocket.sample;

import io.github.glidesocket.core.SocketEventHandler;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link SampleApplicationTests} with the key-value socket served by event loops.
 */
@TestPropertySource(properties = "sample.resp.connection-mode=event-loop")
class EventLoopSampleApplicationTests extends SampleApplicationTests {

	@Override
	Class<?> handlerType() {
		return SocketEventHandler.class;
	}

}
