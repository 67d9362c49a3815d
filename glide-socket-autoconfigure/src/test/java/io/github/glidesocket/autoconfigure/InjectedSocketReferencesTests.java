package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;

import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.beans.factory.config.Scope;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the injection of {@link SocketReference}s: one reference per injection point,
 * released when the owning bean is destroyed.
 */
@Timeout(30)
class InjectedSocketReferencesTests {

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
	void eachInjectionPointGetsItsOwnReference() {
		withSockets().withUserConfiguration(Clients.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			ConstructorClient constructor = context.getBean(ConstructorClient.class);
			FieldClient field = context.getBean(FieldClient.class);
			MethodClient method = context.getBean(MethodClient.class);
			assertThat(List.of(constructor.socket, field.socket, method.socket)).doesNotHaveDuplicates()
				.allSatisfy((reference) -> {
					assertThat(reference.isActive()).isTrue();
					assertThat(reference.path()).isEqualTo(path("d.sock"));
				});
			// Three injected references and the one held from startup.
			assertThat(references(manager, path("d.sock"))).isEqualTo(4);
		});
	}

	@Test
	void destroyingASingletonReleasesItsReference() {
		withSockets().withUserConfiguration(Clients.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			SocketReference reference = context.getBean(FieldClient.class).socket;
			DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
			beanFactory.destroySingleton("fieldClient");
			assertThat(reference.isActive()).isFalse();
			assertThat(references(manager, path("d.sock"))).isEqualTo(3);
		});
	}

	@Test
	void closingTheContextMakesEveryInjectedReferenceInactive() {
		List<SocketReference> references = new ArrayList<>();
		withSockets().withUserConfiguration(Clients.class).run((context) -> {
			references.add(context.getBean(ConstructorClient.class).socket);
			references.add(context.getBean(FieldClient.class).socket);
		});
		assertThat(references).hasSize(2).noneMatch(SocketReference::isActive);
		assertThat(Path.of(path("d.sock"))).doesNotExist();
	}

	@Test
	void qualifierSelectsANamedSocketAndBindsIt() {
		withSockets().withUserConfiguration(AdminClientConfiguration.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			AdminClient client = context.getBean(AdminClient.class);
			assertThat(client.socket.path()).isEqualTo(path("a.sock"));
			assertThat(references(manager, path("a.sock"))).isEqualTo(1);
			assertThat(Path.of(path("a.sock"))).exists();
			((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("adminClient");
			// The admin socket does not listen on startup: its last reference removes it.
			assertThat(Path.of(path("a.sock"))).doesNotExist();
		});
	}

	@Test
	void unknownSocketNameFailsNamingTheConfiguredOnes() {
		withSockets().withUserConfiguration(UnknownSocketClientConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			MockEnvironment environment = new MockEnvironment().withProperty("glide.socket.sockets.admin.path",
					path("a.sock"));
			FailureAnalysis analysis = new UnknownSocketFailureAnalyzer(environment)
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("No glide-socket socket is named 'nope'")
				.contains("[default, admin]");
			assertThat(analysis.getAction()).contains("glide.socket.sockets.nope.path");
		});
	}

	@Test
	void scopedBeanReleasesItsReferenceWhenItsScopeEnds() {
		TestScope scope = new TestScope();
		withSockets().withBean(CustomScopeConfigurer.class, () -> {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("test", scope);
			return configurer;
		}).withUserConfiguration(ScopedClientConfiguration.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			ScopedClient client = context.getBean(ScopedClient.class);
			assertThat(context.getBean(ScopedClient.class)).isSameAs(client);
			assertThat(references(manager, path("a.sock"))).isEqualTo(1);
			scope.end();
			assertThat(client.socket.isActive()).isFalse();
			assertThat(references(manager, path("a.sock"))).isZero();
			ScopedClient next = context.getBean(ScopedClient.class);
			assertThat(next).isNotSameAs(client);
			assertThat(references(manager, path("a.sock"))).isEqualTo(1);
		});
	}

	@Test
	void destroyingAScopedBeanExplicitlyReleasesItsReference() {
		withSockets().withBean(CustomScopeConfigurer.class, () -> {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("test", new TestScope());
			return configurer;
		}).withUserConfiguration(ScopedClientConfiguration.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			ScopedClient client = context.getBean(ScopedClient.class);
			context.getBeanFactory().destroyScopedBean("scopedClient");
			assertThat(client.socket.isActive()).isFalse();
			assertThat(references(manager, path("a.sock"))).isZero();
		});
	}

	@Test
	void prototypeBeanReferenceIsNotReleasedByTheContainerButShutdownMakesItInactive() {
		List<SocketReference> references = new ArrayList<>();
		withSockets().withUserConfiguration(PrototypeClientConfiguration.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			PrototypeClient first = context.getBean(PrototypeClient.class);
			PrototypeClient second = context.getBean(PrototypeClient.class);
			references.add(first.socket);
			references.add(second.socket);
			assertThat(first.socket).isNotSameAs(second.socket);
			assertThat(references(manager, path("a.sock"))).isEqualTo(2);
			context.getBeanFactory().destroyBean(first);
			// destroyBean on a prototype runs the destruction post-processors too.
			assertThat(first.socket.isActive()).isFalse();
			assertThat(references(manager, path("a.sock"))).isEqualTo(1);
		});
		assertThat(references).noneMatch(SocketReference::isActive);
	}

	@Test
	void referencesNotHandedOutForInjectionAreLeftAlone() {
		withSockets().withUserConfiguration(SelfManagedClientConfiguration.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			SelfManagedClient client = context.getBean(SelfManagedClient.class);
			((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("selfManagedClient");
			assertThat(client.socket.isActive()).isTrue();
			assertThat(references(manager, path("a.sock"))).isEqualTo(1);
			client.socket.close();
		});
	}

	@Test
	void injectionIntoAPooledSocketSpreadsTheReferencesOverItsMembers() {
		this.contextRunner
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.sockets.kv.path=" + path("kv.sock"),
					"glide.socket.sockets.kv.pool-size=2", "glide.socket.sockets.kv.listen-on-startup=false")
			.withBean("kv", SocketConnectionHandler.class, TestSockets::echo)
			.withUserConfiguration(PoolClientConfiguration.class)
			.run((context) -> {
				SocketManager manager = context.getBean(SocketManager.class);
				PoolClient client = context.getBean(PoolClient.class);
				List<SocketReference> injected = List.of(client.first, client.second, client.third, client.fourth);
				assertThat(injected).extracting(SocketReference::path)
					.containsExactlyInAnyOrder(path("kv-0.sock"), path("kv-0.sock"), path("kv-1.sock"), path("kv-1.sock"));
				assertThat(references(manager, path("kv-0.sock"))).isEqualTo(2);
				assertThat(references(manager, path("kv-1.sock"))).isEqualTo(2);
				assertThat(Path.of(path("kv.sock"))).doesNotExist();
				for (SocketReference reference : injected) {
					// connect() reaches the reference's own member, served by the pool's handler.
					try (AFUNIXSocket connection = reference.connect()) {
						TestSockets.send(connection, reference.path());
						assertThat(TestSockets.readLine(connection.getInputStream())).isEqualTo(reference.path());
					}
				}
				((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("poolClient");
				assertThat(injected).noneMatch(SocketReference::isActive);
				assertThat(Path.of(path("kv-0.sock"))).doesNotExist();
				assertThat(Path.of(path("kv-1.sock"))).doesNotExist();
			});
	}

	@Test
	void unqualifiedInjectionIntoAPooledDefaultSocketGoesToTheEmptiestMember() {
		withSockets().withPropertyValues("glide.socket.pool-size=3").withUserConfiguration(Clients.class).run((context) -> {
			SocketManager manager = context.getBean(SocketManager.class);
			List<SocketReference> injected = List.of(context.getBean(ConstructorClient.class).socket,
					context.getBean(FieldClient.class).socket, context.getBean(MethodClient.class).socket);
			assertThat(injected).extracting(SocketReference::path)
				.containsExactlyInAnyOrder(path("d-0.sock"), path("d-1.sock"), path("d-2.sock"));
			// One injected reference and the one held from startup on each member.
			for (int member = 0; member < 3; member++) {
				assertThat(references(manager, path("d-" + member + ".sock"))).isEqualTo(2);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class PoolClientConfiguration {

		@Bean
		PoolClient poolClient() {
			return new PoolClient();
		}

	}

	static class PoolClient {

		@Autowired
		@GlideSocket("kv")
		SocketReference first;

		@Autowired
		@GlideSocket("kv")
		SocketReference second;

		@Autowired
		@GlideSocket("kv")
		SocketReference third;

		@Autowired
		@GlideSocket("kv")
		SocketReference fourth;

	}

	@Configuration(proxyBeanMethods = false)
	static class Clients {

		@Bean
		ConstructorClient constructorClient(SocketReference socket) {
			return new ConstructorClient(socket);
		}

		@Bean
		FieldClient fieldClient() {
			return new FieldClient();
		}

		@Bean
		MethodClient methodClient() {
			return new MethodClient();
		}

	}

	static class ConstructorClient {

		final SocketReference socket;

		ConstructorClient(SocketReference socket) {
			this.socket = socket;
		}

	}

	static class FieldClient {

		@Autowired
		SocketReference socket;

	}

	static class MethodClient {

		SocketReference socket;

		@Autowired
		void setSocket(SocketReference socket) {
			this.socket = socket;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AdminClientConfiguration {

		@Bean
		AdminClient adminClient(@GlideSocket("admin") SocketReference socket) {
			return new AdminClient(socket);
		}

	}

	static class AdminClient {

		final SocketReference socket;

		AdminClient(SocketReference socket) {
			this.socket = socket;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownSocketClientConfiguration {

		@Bean
		AdminClient adminClient(@GlideSocket("nope") SocketReference socket) {
			return new AdminClient(socket);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScopedClientConfiguration {

		@Bean
		@org.springframework.context.annotation.Scope("test")
		ScopedClient scopedClient() {
			return new ScopedClient();
		}

	}

	static class ScopedClient {

		@Autowired
		@GlideSocket("admin")
		SocketReference socket;

	}

	@Configuration(proxyBeanMethods = false)
	static class PrototypeClientConfiguration {

		@Bean
		@org.springframework.context.annotation.Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
		PrototypeClient prototypeClient(@GlideSocket("admin") SocketReference socket) {
			return new PrototypeClient(socket);
		}

	}

	static class PrototypeClient {

		final SocketReference socket;

		PrototypeClient(SocketReference socket) {
			this.socket = socket;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SelfManagedClientConfiguration {

		@Bean
		SelfManagedClient selfManagedClient(SocketManager manager, ConfiguredSockets sockets) {
			return new SelfManagedClient(manager.getOrCreate(sockets.path("admin")));
		}

	}

	static class SelfManagedClient {

		final SocketReference socket;

		SelfManagedClient(SocketReference socket) {
			this.socket = socket;
		}

	}

	/**
	 * A scope that lasts until {@link #end()}, which runs the destruction callbacks of its beans,
	 * as a request or session scope does when its request or session ends.
	 */
	static class TestScope implements Scope {

		private final Map<String, Object> beans = new HashMap<>();

		private final Map<String, Runnable> callbacks = new HashMap<>();

		@Override
		public synchronized Object get(String name, ObjectFactory<?> objectFactory) {
			return this.beans.computeIfAbsent(name, (key) -> objectFactory.getObject());
		}

		@Override
		public synchronized @Nullable Object remove(String name) {
			this.callbacks.remove(name);
			return this.beans.remove(name);
		}

		@Override
		public synchronized void registerDestructionCallback(String name, Runnable callback) {
			this.callbacks.put(name, callback);
		}

		@Override
		public @Nullable Object resolveContextualObject(String key) {
			return null;
		}

		@Override
		public @Nullable String getConversationId() {
			return "test";
		}

		synchronized void end() {
			this.callbacks.values().forEach(Runnable::run);
			this.callbacks.clear();
			this.beans.clear();
		}

	}

}
