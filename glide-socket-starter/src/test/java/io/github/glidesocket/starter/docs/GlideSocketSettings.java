package io.github.glidesocket.starter.docs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.glidesocket.autoconfigure.GlideSocketProperties;

import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Settings of the starter as the guide shows them (properties, command-line arguments,
 * environment variables), bound to its properties as Spring Boot binds them: a key that names no
 * property, or a value the property does not take, is a problem.
 */
final class GlideSocketSettings {

	private GlideSocketSettings() {
	}

	/**
	 * Problems of {@code glide.socket.*} properties, as in a properties file or as
	 * {@code --glide.socket.*=} arguments.
	 */
	static List<String> ofProperties(Map<String, String> properties) {
		return bind(List.of(new MapConfigurationPropertySource(properties)),
				new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
	}

	/**
	 * Problems of {@code GLIDE_SOCKET_*} environment variables, read with Spring Boot's relaxed
	 * binding of the system environment.
	 */
	static List<String> ofEnvironment(Map<String, String> variables) {
		// The name marks the source as the system environment, which selects the relaxed mapping.
		SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(variables));
		List<ConfigurationPropertySource> sources = new ArrayList<>();
		ConfigurationPropertySources.from(environment).forEach(sources::add);
		// A variable names a property when the binder reads it: the relaxed names of the
		// environment (GLIDE_SOCKET_DIRECTORY_CHECK for directory-check) do not map back to one.
		Set<String> read = new HashSet<>();
		BindHandler recordingReads = new BindHandler() {

			@Override
			public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
				ConfigurationProperty property = context.getConfigurationProperty();
				if (property != null && property.getOrigin() instanceof PropertySourceOrigin origin) {
					read.add(origin.getPropertyName());
				}
				return result;
			}

		};
		List<String> problems = new ArrayList<>(bind(sources, recordingReads));
		if (!problems.isEmpty()) {
			return problems; // binding stopped at the first wrong value: what it did not read is unknown
		}
		variables.keySet()
			.stream()
			.filter((variable) -> !read.contains(variable))
			.sorted()
			.forEach((variable) -> problems.add(variable + " names no glide.socket property"));
		return problems;
	}

	private static List<String> bind(List<ConfigurationPropertySource> sources, BindHandler handler) {
		try {
			new Binder(sources).bind("glide.socket", Bindable.of(GlideSocketProperties.class), handler);
			return List.of();
		}
		catch (BindException ex) {
			Throwable cause = ex;
			while (cause.getCause() != null) {
				cause = cause.getCause();
			}
			return List.of(ex.getMessage() + ": " + cause.getMessage());
		}
	}

}
