package io.github.glidesocket.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.glidesocket.core.SocketManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an application's own {@link SocketManager} bean, the properties that only build the
 * auto-configured manager are named once in a warning at startup.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class IneffectiveSocketPropertiesTests {

	private static final Pattern PROPERTY_NAME = Pattern.compile("\"name\"\\s*:\\s*\"glide\\.socket\\.([^\"]+)\"");

	private static final String WARNING = "The application defines its own SocketManager bean, so these glide-socket "
			+ "properties have no effect";

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class));

	private String path(String name) {
		return this.directory.resolve(name).toString();
	}

	private ApplicationContextRunner withOwnManager() {
		return this.contextRunner.withBean(SocketManager.class,
				() -> SocketManager.builder().shutdownHook(false).fileCheckInterval(Duration.ZERO).build());
	}

	@Test
	void ownManagerWithSocketOptionPropertiesLogsEachIneffectivePropertyOnce(CapturedOutput output) {
		withOwnManager()
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.permissions=0660",
					"glide.socket.peers.uids=4242,4343", "glide.socket.max-sockets=5",
					"glide.socket.sockets.admin.path=" + path("a.sock"), "glide.socket.sockets.admin.backlog=7",
					"glide.socket.sockets.admin.listen-on-startup=false", "glide.socket.shutdown=immediate")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String expected = WARNING + " (the manager's own socket options and settings apply): "
						+ "glide.socket.max-sockets, glide.socket.peers.uids, glide.socket.permissions, "
						+ "glide.socket.sockets.admin.backlog";
				assertThat(output).containsOnlyOnce(expected);
				assertThat(output.toString().lines().filter((line) -> line.contains(WARNING))).hasSize(1);
			});
	}

	@Test
	void ownManagerWithOnlyPathsAndLifecyclePropertiesLogsNothing(CapturedOutput output) {
		withOwnManager()
			.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.pool-size=2",
					"glide.socket.sockets.admin.path=" + path("a.sock"),
					"glide.socket.sockets.admin.listen-on-startup=false", "glide.socket.shutdown=immediate")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain(WARNING);
			});
	}

	/**
	 * Every property of the configuration metadata, set: each is named unless another bean than
	 * the manager reads it. A property added to {@link GlideSocketProperties} is covered or this
	 * fails.
	 */
	@Test
	void everyPropertyThatOnlyBuildsTheManagerIsNamedForTheDefaultSocketAndANamedOne() throws IOException {
		Set<String> stillApplied = Set.of("enabled", "path", "listen-on-startup", "pool-size", "file-check-interval",
				"shutdown", "exit-after-takeover");
		Set<String> managerOnly = Set.of("max-sockets", "leak-detection", "event-loop-threads", "max-buffered-bytes");
		List<String> keys = metadataKeys();
		assertThat(keys).contains("takeover", "write-timeout", "peers.users", "servers.uids", "web.path",
				"web.permissions", "web.tcp");
		MockEnvironment environment = new MockEnvironment();
		Set<String> expected = new TreeSet<>();
		for (String key : keys) {
			if (key.startsWith("web.")) {
				// The web socket is judged as a named socket; whether it can be served at all is
				// another check (WebSocketPropertiesTests).
				environment.setProperty("glide.socket." + key, "1");
				String webKey = key.substring("web.".length());
				if (!stillApplied.contains(webKey) && !webKey.equals("tcp")) {
					expected.add("glide.socket." + key);
				}
				continue;
			}
			environment.setProperty("glide.socket." + key, "1");
			environment.setProperty("glide.socket.sockets.admin." + key, "1");
			if (!stillApplied.contains(key)) {
				expected.add("glide.socket." + key);
				if (!managerOnly.contains(key)) {
					expected.add("glide.socket.sockets.admin." + key);
				}
			}
		}
		IneffectiveSocketProperties properties = new IneffectiveSocketProperties(new DefaultListableBeanFactory(),
				environment);
		assertThat(properties.ineffective()).containsExactlyElementsOf(expected);
	}

	/**
	 * The keys under {@code glide.socket.} in this module's generated configuration metadata,
	 * without the map of named sockets.
	 */
	private static List<String> metadataKeys() throws IOException {
		List<String> keys = new ArrayList<>();
		Enumeration<URL> resources = IneffectiveSocketPropertiesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		while (resources.hasMoreElements()) {
			String metadata;
			try (InputStream input = resources.nextElement().openStream()) {
				metadata = new String(input.readAllBytes(), StandardCharsets.UTF_8);
			}
			// The entries of "properties" (not of "groups" before it, nor of "hints" after it).
			int start = metadata.indexOf("\"properties\"");
			int end = metadata.indexOf("\"hints\"", start);
			Matcher name = PROPERTY_NAME.matcher(metadata.substring(start, (end > start) ? end : metadata.length()));
			while (name.find()) {
				if (!name.group(1).equals("sockets")) {
					keys.add(name.group(1));
				}
			}
		}
		return keys;
	}

	@Test
	void autoConfiguredManagerLogsNothing(CapturedOutput output) {
		this.contextRunner.withPropertyValues("glide.socket.path=" + path("d.sock"), "glide.socket.permissions=0660")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain(WARNING);
			});
	}

}
