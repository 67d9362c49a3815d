package io.github.glidesocket.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.glidesocket.core.SocketReference;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Explains an injection point whose {@link GlideSocket @GlideSocket} names no configured
 * socket: no {@link SocketReference} bean qualifies for it. Runs before Spring Boot's general
 * analysis of a missing bean, which would not name the configured sockets.
 */
class UnknownSocketFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException>
		implements Ordered {

	private final @Nullable Environment environment;

	UnknownSocketFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
		if (cause.getBeanType() != SocketReference.class) {
			return null;
		}
		InjectionPoint injectionPoint = injectionPoint(rootFailure);
		GlideSocket qualifier = (injectionPoint != null) ? injectionPoint.getAnnotation(GlideSocket.class) : null;
		if (qualifier == null) {
			return null;
		}
		String name = qualifier.value();
		return new FailureAnalysis(
				"No glide-socket socket is named '" + name + "'; the configured sockets are " + configuredNames()
						+ ". It is named by @GlideSocket at " + injectionPoint.getMember() + ".",
				"Use the name of a configured socket in @GlideSocket, or configure the socket with '"
						+ SocketSettings.PREFIX + ".sockets." + name + ".path'.",
				cause);
	}

	private static @Nullable InjectionPoint injectionPoint(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof UnsatisfiedDependencyException unsatisfied
					&& unsatisfied.getInjectionPoint() != null
					&& unsatisfied.getCause() instanceof NoSuchBeanDefinitionException) {
				return unsatisfied.getInjectionPoint();
			}
		}
		return null;
	}

	private Set<String> configuredNames() {
		Set<String> names = new LinkedHashSet<>();
		names.add(ConfiguredSockets.DEFAULT);
		if (this.environment != null) {
			Binder.get(this.environment)
				.bind(SocketSettings.PREFIX + ".sockets", Bindable.mapOf(String.class, Object.class))
				.map(Map::keySet)
				.ifBound(names::addAll);
		}
		return names;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
