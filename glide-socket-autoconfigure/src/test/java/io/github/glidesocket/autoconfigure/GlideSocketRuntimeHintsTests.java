package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.autoconfigure.endpoint.GlideSocketsEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.aot.hint.predicate.RuntimeHintsPredicates.reflection;
import static org.springframework.aot.hint.predicate.RuntimeHintsPredicates.resource;

/**
 * Tests for {@link GlideSocketRuntimeHints}, and for the hints that processing an application
 * with glide-socket ahead of time produces.
 */
class GlideSocketRuntimeHintsTests {

	private static final String SERVICE_FILE = "META-INF/services/io.github.glidesocket.core.SocketManagerProvider";

	@TempDir
	Path directory;

	@Test
	void registerHintsShouldIncludeTheProviderServiceFile() {
		RuntimeHints hints = new RuntimeHints();
		new GlideSocketRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(resource().forResource(SERVICE_FILE)).accepts(hints);
	}

	@Test
	void registerHintsShouldLetServiceLoaderConstructEveryListedProvider() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		new GlideSocketRuntimeHints().registerHints(hints, getClass().getClassLoader());
		List<String> providers = listedProviders();
		assertThat(providers).isNotEmpty();
		for (String provider : providers) {
			assertThat(reflection().onConstructorInvocation(Class.forName(provider).getConstructor())).as(provider)
				.accepts(hints);
		}
	}

	@Test
	void processAheadOfTimeShouldRegisterTheProviderTheEndpointResponsesAndTheNamedSocketProperties() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(GlideSocketAutoConfiguration.class, GlideSocketsEndpointAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + this.directory.resolve("d.sock"),
					"management.endpoints.web.exposure.include=glidesockets")
			.prepare((context) -> {
				RuntimeHints hints = processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext());
				assertThat(resource().forResource(SERVICE_FILE)).accepts(hints);
				// The endpoint's responses are written as JSON from their getters.
				assertThat(reflection().onMethodInvocation(GlideSocketsEndpoint.SocketsDescriptor.class, "getSockets"))
					.accepts(hints);
				assertThat(reflection().onMethodInvocation(GlideSocketsEndpoint.SocketDescriptor.class, "getReferences"))
					.accepts(hints);
				// glide.socket.sockets.<name>.* binds into the map's values.
				assertThat(reflection().onMethodInvocation(GlideSocketProperties.Socket.class, "setPath")).accepts(hints);
				assertThat(reflection().onMethodInvocation(GlideSocketProperties.SocketPeers.class, "setPolicy"))
					.accepts(hints);
			});
	}

	@Test
	void processAheadOfTimeWhenDisabledShouldRegisterNoProviderHints() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class))
			.withPropertyValues("glide.socket.enabled=false")
			.prepare((context) -> {
				RuntimeHints hints = processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext());
				assertThat(resource().forResource(SERVICE_FILE)).rejects(hints);
			});
	}

	static RuntimeHints processAheadOfTime(GenericApplicationContext context) {
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "TestApplication")), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		return generationContext.getRuntimeHints();
	}

	private static List<String> listedProviders() throws IOException {
		try (InputStream input = GlideSocketRuntimeHintsTests.class.getClassLoader().getResourceAsStream(SERVICE_FILE)) {
			assertThat(input).as(SERVICE_FILE).isNotNull();
			return new String(input.readAllBytes(), StandardCharsets.UTF_8).lines()
				.map((line) -> line.replaceFirst("#.*", "").strip())
				.filter((line) -> !line.isEmpty())
				.toList();
		}
	}

}
