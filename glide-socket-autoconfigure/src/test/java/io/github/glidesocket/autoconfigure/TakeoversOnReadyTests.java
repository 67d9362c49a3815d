package io.github.glidesocket.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TakeoversOnReady}: a socket that takes over a live one (here another
 * process's) takes the path only once the application is ready; a start that fails before leaves
 * the path, and its server, alone.
 */
@Timeout(60)
class TakeoversOnReadyTests {

	/** Binds at argv[1], prints "ready", and answers the first line of each connection with "old". */
	private static final String OLD_SERVER = String.join("\n", "import socket, sys",
			"s = socket.socket(socket.AF_UNIX)", "s.bind(sys.argv[1])", "s.listen(16)", "print('ready', flush=True)",
			"while True:", "    c, _ = s.accept()", "    try:", "        data = b''",
			"        while b'\\n' not in data:", "            chunk = c.recv(64)", "            if not chunk:",
			"                break", "            data += chunk", "        c.sendall(b'old\\n')", "    except OSError:",
			"        pass", "    c.close()");

	private static final AtomicReference<Object> fileDuringRunner = new AtomicReference<>();

	private static final AtomicReference<SocketSnapshot.FileStatus> statusDuringRunner = new AtomicReference<>();

	@TempDir
	Path directory;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void stopOldServers() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	private Path path() {
		return this.directory.resolve("app.sock");
	}

	private SpringApplicationBuilder application(Class<?> configuration) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties("glide.socket.path=" + path(), "glide.socket.takeover=true");
	}

	@Test
	void aSocketTakesThePathOverOnlyOnceTheApplicationIsReady() throws Exception {
		startOldServer();
		Object oldFile = fileKey(path());
		try (ConfigurableApplicationContext context = application(RecordingRunner.class).run()) {
			assertThat(fileDuringRunner.get()).as("the file at the path while the runners run").isEqualTo(oldFile);
			assertThat(statusDuringRunner.get()).isEqualTo(SocketSnapshot.FileStatus.TAKEOVER_PENDING);
			assertThat(fileKey(path())).isNotEqualTo(oldFile);
			assertThat(TestSockets.roundTrip(path().toString(), "ping")).isEqualTo("ping");
			assertThat(context.getBean(SocketManager.class).snapshot(path().toString()).orElseThrow().file())
				.isEqualTo(SocketSnapshot.FileStatus.INTACT);
		}
	}

	@Test
	void aStartThatFailsBeforeTheApplicationIsReadyLeavesThePathAndItsServerAlone() throws Exception {
		startOldServer();
		Object oldFile = fileKey(path());
		assertThatIllegalStateException().isThrownBy(() -> application(FailingRunner.class).run())
			.withMessageContaining("runner failed");
		assertThat(fileKey(path())).isEqualTo(oldFile);
		assertThat(TestSockets.roundTrip(path().toString(), "ping")).isEqualTo("old");
		try (var entries = Files.list(this.directory)) {
			assertThat(entries.toList()).as("nothing left aside").containsExactly(path());
		}
	}

	@Test
	void withoutASpringApplicationTheSocketTakesThePathOverInTheLastLifecyclePhase() throws Exception {
		startOldServer();
		Object oldFile = fileKey(path());
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, GlideSocketAutoConfiguration.class))
			.withBean("glideSocketHandler", SocketConnectionHandler.class, TestSockets::echo)
			.withPropertyValues("glide.socket.path=" + path(), "glide.socket.takeover=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(fileKey(path())).isNotEqualTo(oldFile);
				assertThat(TestSockets.roundTrip(path().toString(), "ping")).isEqualTo("ping");
			});
	}

	private void startOldServer() throws IOException, InterruptedException {
		Process process = new ProcessBuilder("python3", "-c", OLD_SERVER, path().toString()).redirectErrorStream(true)
			.start();
		this.processes.add(process);
		String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
		if (!"ready".equals(line)) {
			throw new IllegalStateException("The old server did not start: " + line);
		}
	}

	private static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ LifecycleAutoConfiguration.class, GlideSocketAutoConfiguration.class })
	static class Echo {

		@Bean
		SocketConnectionHandler glideSocketHandler() {
			return TestSockets.echo();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingRunner extends Echo {

		@Bean
		ApplicationRunner recordFile(SocketManager manager) {
			return (arguments) -> {
				String path = manager.snapshots().get(0).path();
				fileDuringRunner.set(fileKey(Path.of(path)));
				statusDuringRunner.set(manager.snapshot(path).orElseThrow().file());
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingRunner extends Echo {

		@Bean
		ApplicationRunner fail() {
			return (arguments) -> {
				throw new IllegalStateException("runner failed");
			};
		}

	}

}
