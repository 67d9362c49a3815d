package io.github.glidesocket.autoconfigure.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.glidesocket.autoconfigure.GlideSocketAutoConfiguration;
import io.github.glidesocket.autoconfigure.TestSockets;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.metrics.GlideSocketMeters;
import io.github.glidesocket.metrics.GlideSocketMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GlideSocketMetricsAutoConfiguration}.
 */
@Timeout(30)
class GlideSocketMetricsAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				GlideSocketAutoConfiguration.class, GlideSocketMetricsAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	@Test
	void metersFollowReferencesAndRealConnections() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withBean(SocketConnectionHandler.class, TestSockets::echo)
			.run((context) -> {
				assertThat(context).hasSingleBean(GlideSocketMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(GlideSocketMeters.REFERENCES.meterName()).tag("socket", "default").gauge().value())
					.isEqualTo(1);
				try (SocketReference reference = context.getBean(SocketManager.class).getOrCreate(path("d.sock"))) {
					assertThat(registry.get(GlideSocketMeters.REFERENCES.meterName()).tag("socket", "default").gauge().value())
						.isEqualTo(2);
				}
				assertThat(TestSockets.roundTrip(path("d.sock"), "one")).isEqualTo("one");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(registry.get(GlideSocketMeters.CONNECTIONS_ACCEPTED.meterName())
						.tag("socket", "default")
						.functionCounter()
						.count()).isEqualTo(1));
				assertThat(registry.get(GlideSocketMeters.ACTIVE.meterName()).gauge().value()).isEqualTo(1);
			});
	}

	@Test
	void eachPoolMemberIsTaggedWithThePoolNameAndItsIndex() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=2")
			.withBean(SocketConnectionHandler.class, TestSockets::echo)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String member : new String[] { "default-0", "default-1" }) {
					assertThat(registry.get(GlideSocketMeters.REFERENCES.meterName()).tag("socket", member).gauge().value())
						.isEqualTo(1);
				}
				assertThat(registry.find(GlideSocketMeters.REFERENCES.meterName()).tag("socket", "default").gauge())
					.isNull();
				assertThat(TestSockets.roundTrip(path("d-1.sock"), "one")).isEqualTo("one");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(registry.get(GlideSocketMeters.CONNECTIONS_ACCEPTED.meterName())
						.tag("socket", "default-1")
						.functionCounter()
						.count()).isEqualTo(1));
				assertThat(registry.get(GlideSocketMeters.CONNECTIONS_ACCEPTED.meterName())
					.tag("socket", "default-0")
					.functionCounter()
					.count()).isZero();
				assertThat(registry.get(GlideSocketMeters.ACTIVE.meterName()).gauge().value()).isEqualTo(2);
			});
	}

	@Test
	void runWithoutMeterRegistryShouldNotCreateMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class,
					GlideSocketMetricsAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GlideSocketMetrics.class));
	}

	@Test
	void runWithoutMicrometerShouldNotCreateMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class,
					GlideSocketMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.micrometer"))
			.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GlideSocketMetrics.class));
	}

	@Test
	void runWithUserBinderShouldBackOff() {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"))
			.withUserConfiguration(UserMetricsConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(GlideSocketMetrics.class).hasBean("myMetrics"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetricsConfiguration {

		@Bean
		GlideSocketMetrics myMetrics(SocketManager manager) {
			return new GlideSocketMetrics(manager, Map.of());
		}

	}

}
