package io.github.glidesocket.sample;

import io.github.glidesocket.core.SocketConnectionHandler;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link SampleApplicationTests} with each connection of the key-value socket on its own thread.
 */
@TestPropertySource(properties = "sample.resp.connection-mode=thread-per-connection")
class ThreadPerConnectionSampleApplicationTests extends SampleApplicationTests {

	@Override
	Class<?> handlerType() {
		return SocketConnectionHandler.class;
	}

}
