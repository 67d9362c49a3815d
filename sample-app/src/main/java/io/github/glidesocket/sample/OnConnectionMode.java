package io.github.glidesocket.sample;

import io.github.glidesocket.sample.SampleProperties.ConnectionMode;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code sample.resp.connection-mode} selects the mode of the subclass, bound as the
 * enum the properties use, so every spelling Spring Boot accepts ({@code event-loop},
 * {@code EVENT_LOOP}) selects the same bean.
 */
abstract class OnConnectionMode implements Condition {

	private final ConnectionMode mode;

	OnConnectionMode(ConnectionMode mode) {
		this.mode = mode;
	}

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConnectionMode configured = Binder.get(context.getEnvironment())
			.bind("sample.resp.connection-mode", ConnectionMode.class)
			.orElse(ConnectionMode.DEFAULT);
		return configured == this.mode;
	}

	static final class EventLoop extends OnConnectionMode {

		EventLoop() {
			super(ConnectionMode.EVENT_LOOP);
		}

	}

	static final class ThreadPerConnection extends OnConnectionMode {

		ThreadPerConnection() {
			super(ConnectionMode.THREAD_PER_CONNECTION);
		}

	}

}
