package io.github.glidesocket.autoconfigure;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GlideSocket @GlideSocket} as a Spring qualifier: wherever Spring resolves qualifiers it
 * selects the socket; and a {@code SocketReference} bean of the application's own replaces only
 * the references of the socket it is qualified for.
 */
@Timeout(30)
class GlideSocketQualifierTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	private ApplicationContextRunner withSockets() {
		return this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"),
				"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.listen-on-startup=false");
	}

	private static int references(SocketManager manager, String path) {
		return manager.snapshot(path).map((snapshot) -> snapshot.references()).orElse(0);
	}

	@Test
	void glideSocketIsAQualifierOnConstructorParameters() {
		withSockets().withBean(ConstructorClient.class).run((context) -> {
			ConstructorClient client = context.getBean(ConstructorClient.class);
			assertThat(client.admin.path()).isEqualTo(path("a.sock"));
			assertThat(client.socket.path()).isEqualTo(path("d.sock"));
			assertThat(client.explicitDefault.path()).isEqualTo(path("d.sock"));
			assertThat(client.socket).isNotSameAs(client.explicitDefault);
		});
	}

	@Test
	void glideSocketIsAQualifierOnObjectProviders() {
		withSockets().withBean(ProviderClient.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			ProviderClient client = context.getBean(ProviderClient.class);
			try (SocketReference first = client.admin.getObject(); SocketReference second = client.admin.getObject()) {
				assertThat(first.path()).isEqualTo(path("a.sock"));
				assertThat(second).isNotSameAs(first);
				assertThat(references(manager, path("a.sock"))).isEqualTo(2);
			}
			try (SocketReference socket = client.socket.getObject()) {
				assertThat(socket.path()).isEqualTo(path("d.sock"));
			}
			assertThat(references(manager, path("a.sock"))).isZero();
		});
	}

	@Test
	void anAnnotationMetaAnnotatedWithGlideSocketSelectsItsSocket() {
		withSockets().withBean(ComposedAnnotationClient.class).run((context) -> {
			assertThat(context.getBean(ComposedAnnotationClient.class).admin.path()).isEqualTo(path("a.sock"));
		});
	}

	@Test
	void glideSocketOnASetterQualifiesItsParameter() {
		withSockets().withBean(SetterClient.class).run((context) -> {
			assertThat(context.getBean(SetterClient.class).socket.path()).isEqualTo(path("a.sock"));
		});
	}

	@Test
	void anApplicationReferenceBeanForOneSocketLeavesTheOthersInjected() {
		withSockets().withUserConfiguration(OwnAdminReferenceConfiguration.class)
			.withBean(ConstructorClient.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ConstructorClient client = context.getBean(ConstructorClient.class);
				assertThat(client.admin).isSameAs(context.getBean(OwnAdminReferenceConfiguration.class).own);
				assertThat(client.socket.path()).isEqualTo(path("d.sock"));
				assertThat(client.explicitDefault.path()).isEqualTo(path("d.sock"));
			});
	}

	@Test
	void anUnqualifiedApplicationReferenceBeanReplacesOnlyTheDefaultSocketsReferences() {
		withSockets().withUserConfiguration(OwnDefaultReferenceConfiguration.class)
			.withBean(AdminOnlyClient.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SocketReference.class))
					.isSameAs(context.getBean(OwnDefaultReferenceConfiguration.class).own);
				assertThat(context.getBean(AdminOnlyClient.class).admin.path()).isEqualTo(path("a.sock"));
			});
	}

	static class ConstructorClient {

		final SocketReference admin;

		final SocketReference socket;

		final SocketReference explicitDefault;

		ConstructorClient(@GlideSocket("admin") SocketReference admin, SocketReference socket,
				@GlideSocket SocketReference explicitDefault) {
			this.admin = admin;
			this.socket = socket;
			this.explicitDefault = explicitDefault;
		}

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.PARAMETER)
	@GlideSocket("admin")
	@interface AdminSocket {

	}

	static class ComposedAnnotationClient {

		final SocketReference admin;

		ComposedAnnotationClient(@AdminSocket SocketReference admin) {
			this.admin = admin;
		}

	}

	static class AdminOnlyClient {

		final SocketReference admin;

		AdminOnlyClient(@GlideSocket("admin") SocketReference admin) {
			this.admin = admin;
		}

	}

	static class ProviderClient {

		final ObjectProvider<SocketReference> admin;

		final ObjectProvider<SocketReference> socket;

		ProviderClient(@GlideSocket("admin") ObjectProvider<SocketReference> admin,
				ObjectProvider<SocketReference> socket) {
			this.admin = admin;
			this.socket = socket;
		}

	}

	static class SetterClient {

		SocketReference socket;

		@Autowired
		@GlideSocket("admin")
		void setSocket(SocketReference socket) {
			this.socket = socket;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAdminReferenceConfiguration {

		SocketReference own;

		@Bean
		@GlideSocket("admin")
		SocketReference ownAdminReference(SocketManager manager, Environment environment) {
			this.own = manager.getOrCreate(environment.getRequiredProperty("glide.socket.sockets.admin.path"));
			return this.own;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDefaultReferenceConfiguration {

		SocketReference own;

		@Bean
		SocketReference ownReference(SocketManager manager, Environment environment) {
			this.own = manager.getOrCreate(environment.getRequiredProperty("glide.socket.path"));
			return this.own;
		}

	}

}
