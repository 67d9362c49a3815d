package io.github.glidesocket.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.github.glidesocket.core.SocketPathValidationTests.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Socket activation: a launcher that plays systemd binds the socket, keeps it, and starts the
 * JVM with it as standard input, then restarts the JVM. The socket whose path is the inherited
 * socket's address serves it instead of binding, never removes or changes its file, and no
 * connect fails across the restart: the kernel queues them while no JVM runs.
 */
@Timeout(120)
class InheritedSocketTests {

	/**
	 * Binds and listens at argv[1] (mode as the umask gives it), starts the command after it
	 * with the socket as standard input, and on each "restart" line of its own input stops that
	 * process (SIGTERM, waiting for it) and starts it again, as systemd restarts a
	 * socket-activated service.
	 */
	private static final String LAUNCHER = String.join("\n", "import socket, subprocess, sys",
			"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1])", "s.listen(128)",
			"child = subprocess.Popen(sys.argv[2:], stdin=s.fileno())", "for line in sys.stdin:",
			"    if line.strip() == 'restart':", "        child.terminate()", "        child.wait()",
			"        print('stopped', flush=True)", "        child = subprocess.Popen(sys.argv[2:], stdin=s.fileno())",
			"child.terminate()", "child.wait()");

	/**
	 * Binds and listens at argv[1], prints "bound", and on a "start" line of its input starts the
	 * command after it with the socket as standard input, and waits for it.
	 */
	private static final String WAITING_LAUNCHER = String.join("\n", "import socket, subprocess, sys",
			"s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "s.bind(sys.argv[1])", "s.listen(128)",
			"print('bound', flush=True)", "sys.stdin.readline()", "subprocess.Popen(sys.argv[2:], stdin=s.fileno()).wait()");

	@TempDir
	Path directory;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void cleanUp() {
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void theInheritedSocketIsServedAndARestartRefusesNobody() throws Exception {
		String python = ExternalProcesses.assumePython();
		Path socket = this.directory.resolve("activated.sock");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process launcher = new ProcessBuilder(python, "-c", LAUNCHER, socket.toString(), java, "-cp",
				System.getProperty("java.class.path"), ActivatedMain.class.getName(), socket.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(launcher);
		BufferedReader output = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
		String firstReady = output.readLine();
		assertThat(firstReady).startsWith("ready ");
		Object key = Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS);
		String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
		try (RequestLoop loop = new RequestLoop(socket, 2,
				(reply) -> reply.startsWith("pong ") ? reply.substring(5) : null)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> loop.repliesFrom(firstReady.substring(6)) > 20);
			OutputStream commands = launcher.getOutputStream();
			commands.write("restart\n".getBytes(StandardCharsets.US_ASCII));
			commands.flush();
			assertThat(output.readLine()).isEqualTo("stopped");
			String secondReady = output.readLine();
			assertThat(secondReady).startsWith("ready ").isNotEqualTo(firstReady);
			await().atMost(Duration.ofSeconds(20)).until(() -> loop.repliesFrom(secondReady.substring(6)) > 20);
			loop.close();
			assertThat(loop.failures()).as("failed connects and requests across the restart: %s", loop.errors).isZero();
		}
		assertThat(Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS))
			.as("the launcher's socket file, never removed").isEqualTo(key);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
			.as("its mode, never changed").isEqualTo(mode);
		launcher.getOutputStream().close();
		assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
	}

	/**
	 * Another user ({@code nobody}) renames a socket of their own over the activation path
	 * before the service starts: the service serves the inherited socket, but reports the file
	 * at the path as another's, and its clients refuse that server.
	 */
	@Test
	void aSocketPlantedAtTheActivationPathIsReportedAsAnothersFile() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path socket = this.directory.resolve("activated.sock");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process launcher = new ProcessBuilder(python, "-c", WAITING_LAUNCHER, socket.toString(), java, "-cp",
				System.getProperty("java.class.path"), PlantedCheckMain.class.getName(), socket.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(launcher);
		BufferedReader output = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
		assertThat(output.readLine()).isEqualTo("bound");
		Process planted = new ProcessBuilder(ExternalProcesses
			.asNobody(List.of(python, "-c", ExternalProcesses.PYTHON_RENAMING_SERVER, socket.toString())))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.processes.add(planted);
		ExternalProcesses.awaitLine(planted, "ready");
		launcher.getOutputStream().write("start\n".getBytes(StandardCharsets.US_ASCII));
		launcher.getOutputStream().flush();
		assertThat(output.readLine()).isEqualTo("file=REPLACED");
		assertThat(output.readLine()).isEqualTo("connect=refused");
	}

	/**
	 * Checks the socket at args[0], inherited on standard input, and prints what its snapshot
	 * says of the file and whether a client of the socket talks to the server at the path.
	 */
	static final class PlantedCheckMain {

		private PlantedCheckMain() {
		}

		public static void main(String[] args) throws Exception {
			try (SocketManager manager = SocketManager.builder()
				.name("planted")
				.shutdownHook(false)
				.fileCheckInterval(Duration.ZERO)
				.defaults(SocketOptions.builder().handler((connection) -> {
				}).build())
				.build(); SocketReference reference = manager.getOrCreate(args[0])) {
				System.out.println("file=" + manager.snapshot(args[0]).orElseThrow().file());
				try (java.net.Socket client = reference.connect()) {
					System.out.println("connect=served");
				}
				catch (UntrustedServerException ex) {
					System.out.println("connect=refused");
				}
			}
			catch (Throwable ex) {
				System.out.println("failed=" + ex);
			}
			System.out.flush();
		}

	}

	/**
	 * The service the launcher starts: serves the socket at args[0], answering each line with
	 * {@code pong <pid>}, and shuts down gracefully on SIGTERM.
	 */
	static final class ActivatedMain {

		private ActivatedMain() {
		}

		public static void main(String[] args) throws Exception {
			String pid = Long.toString(ProcessHandle.current().pid());
			SocketManager manager = SocketManager.builder()
				.name("activated")
				.shutdownHook(false)
				.defaults(SocketOptions.builder().handler((connection) -> {
					String line;
					while ((line = readLine(connection.inputStream())) != null) {
						connection.outputStream().write(("pong " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
					}
				}).build())
				.build();
			CountDownLatch stopped = new CountDownLatch(1);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				manager.shutdownGracefully(Duration.ofSeconds(10)).join();
				stopped.countDown();
			}));
			SocketReference reference = manager.getOrCreate(args[0]);
			System.out.println("ready " + pid);
			System.out.flush();
			stopped.await();
			reference.close();
		}

	}

}
