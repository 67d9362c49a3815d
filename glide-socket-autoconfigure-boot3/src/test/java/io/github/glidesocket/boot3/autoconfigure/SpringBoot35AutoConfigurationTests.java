package io.github.glidesocket.boot3.autoconfigure;

import java.lang.reflect.Method;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.actuate.GlideSocketsEndpoint;
import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.endpoint.GlideSocketsEndpointAutoConfiguration;
import io.github.glidesocket.autoconfigure.metrics.GlideSocketMetricsAutoConfiguration;
import io.github.glidesocket.boot3.autoconfigure.health.GlideSocketHealthContributorAutoConfiguration;
import io.github.glidesocket.boot3.health.GlideSocketHealthIndicator;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.metrics.GlideSocketMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * glide-socket on Spring Boot 3.5: the auto-configuration shared with Spring Boot 4 and this
 * module's health indicator, on Spring Boot 3.5's own types.
 */
@Timeout(60)
class SpringBoot35AutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner contextRunner() {
		// Ours first: the order comes from each class's @AutoConfiguration, as in an application.
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GlideSocketMetricsAutoConfiguration.class,
					GlideSocketHealthContributorAutoConfiguration.class, GlideSocketsEndpointAutoConfiguration.class,
					GlideSocketAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + this.directory.resolve("d.sock"),
					"management.endpoints.web.exposure.include=glidesockets");
	}

	@Test
	void socketHealthMetersAndEndpoint() {
		contextRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			Path socket = this.directory.resolve("d.sock");
			assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
			Health health = context.getBean("glideSocketHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("sockets", 1).containsEntry("references", 1);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (GlideSocketMeters meter : GlideSocketMeters.values()) {
				assertThat(registry.find(meter.meterName()).meters()).as(meter.meterName()).isNotEmpty();
			}
			assertThat(registry.get(GlideSocketMeters.REFERENCES.meterName()).tag("socket", "default").gauge().value())
				.isEqualTo(1.0);
			assertThat(context.getBean(GlideSocketsEndpoint.class).socket("default").getReferences()).isEqualTo(1);
		});
	}

	@Test
	void connectionsRunOnVirtualThreadsWhenTheyAreEnabledOnJava21AndLater() {
		AtomicReference<Thread> handlerThread = new AtomicReference<>();
		contextRunner().withPropertyValues("spring.threads.virtual.enabled=true")
			.withBean(SocketConnectionHandler.class, () -> (connection) -> {
				handlerThread.set(Thread.currentThread());
				connection.outputStream().write('x');
			})
			.run((context) -> {
				try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(this.directory.resolve("d.sock")))) {
					assertThat(channel.read(ByteBuffer.allocate(1))).isOne();
				}
				// As Spring Boot's own web servers: virtual threads on Java 21 and later (Java 17 has none).
				if (Runtime.version().feature() >= 21) {
					Method isVirtual = Thread.class.getMethod("isVirtual");
					assertThat(isVirtual.invoke(handlerThread.get())).isEqualTo(true);
				}
			});
	}

	@Test
	void healthIsDownWhileTheSocketFileIsMissing() throws Exception {
		contextRunner().withPropertyValues("glide.socket.file-check-interval=1h").run((context) -> {
			HealthIndicator indicator = context.getBean(GlideSocketHealthIndicator.class);
			Files.delete(this.directory.resolve("d.sock"));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("failing_sockets")).asInstanceOf(InstanceOfAssertFactories.LIST)
				.singleElement()
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("name", "default")
				.containsEntry("file", "MISSING");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "management.health.glidesocket.enabled", "management.health.glideSocket.enabled" })
	void healthIsTurnedOffByItsProperty(String property) {
		contextRunner().withPropertyValues(property + "=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("glideSocketHealthIndicator"));
	}

	@Test
	void withoutTheActuatorThereIsNoHealthIndicator() {
		contextRunner().withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("glideSocketHealthIndicator"));
	}

	@Test
	void anInvalidValueIsSpringBootsInvalidPropertyFailureNamingIt() {
		contextRunner().withPropertyValues("glide.socket.max-connections=0").run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = null;
			for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
				if (cause instanceof InvalidConfigurationPropertyValueException found) {
					invalid = found;
				}
			}
			assertThat(invalid).as("in %s", context.getStartupFailure()).isNotNull();
			assertThat(invalid.getName()).isEqualTo("glide.socket.max-connections");
			assertThat(invalid.getValue()).isEqualTo(0);
		});
	}

}
