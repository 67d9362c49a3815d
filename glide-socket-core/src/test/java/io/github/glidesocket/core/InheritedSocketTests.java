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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

	/**
	 * Makes what argv[1] names (a listening TCP socket, one end of a connected Unix socket pair,
	 * a listening Unix socket at argv[2], or /dev/null while listening at argv[2]), runs the
	 * command after argv[2] with it as standard input, and exits with its exit code.
	 */
	private static final String STANDARD_INPUT_LAUNCHER = String.join("\n", "import socket, subprocess, sys",
			"kind, path = sys.argv[1], sys.argv[2]", "if kind == 'tcp':",
			"    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)", "    s.bind(('127.0.0.1', 0))",
			"    s.listen(8)", "    stdin = s.fileno()", "elif kind == 'connected':",
			"    s, peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)", "    stdin = s.fileno()", "else:",
			"    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "    s.bind(path)", "    s.listen(8)",
			"    stdin = s.fileno() if kind == 'other-path' else subprocess.DEVNULL",
			"sys.exit(subprocess.call(sys.argv[3:], stdin=stdin))");

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

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "tcp|a listening socket at /127.0.0.1:",
			"connected|a connected socket (its peer", "other-path|a listening Unix socket bound at '" })
	void anInheritedChannelThatIsNotUsedIsReportedNamingWhatItIs(String kind, String described) throws Exception {
		Path other = this.directory.resolve("other.sock");
		String output = runInheriting(kind, other, this.directory.resolve("app.sock"));
		assertThat(output).contains("bound " + this.directory.resolve("app.sock"))
			.contains("WARNING: This process inherited " + described);
		if (kind.equals("other-path")) {
			assertThat(output).contains(described + other + "' on standard input, and socket '"
					+ this.directory.resolve("app.sock") + "' is another path");
		}
	}

	@Test
	void aPathInUseWhileStandardInputIsNoSocketSaysWhatStandardInputIs() throws Exception {
		Path socket = this.directory.resolve("activated.sock");
		String output = runInheriting("devnull", socket, socket);
		assertThat(output).contains("in use: Socket '" + socket + "' is in use: another process is accepting"
				+ " connections on it. If this process was to inherit it (socket activation), it did not: standard"
				+ " input is not a socket but /dev/null, not a listening socket at that path.");
	}

	/**
	 * Run {@link InheritingMain} binding {@code path}, with the standard input the launcher makes.
	 * @return its output and error
	 */
	private String runInheriting(String kind, Path launcherPath, Path path) throws Exception {
		String python = ExternalProcesses.assumePython();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process launcher = new ProcessBuilder(python, "-c", STANDARD_INPUT_LAUNCHER, kind, launcherPath.toString(),
				java, "-cp", System.getProperty("java.class.path"), InheritingMain.class.getName(), path.toString())
			.redirectErrorStream(true)
			.start();
		this.processes.add(launcher);
		String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(launcher.exitValue()).as("exit code; output:%n%s", output).isZero();
		return output;
	}

	/**
	 * Binds the socket at args[0] once and prints {@code bound <path>}, or {@code in use: } and
	 * the message of the failure.
	 */
	static final class InheritingMain {

		private InheritingMain() {
		}

		public static void main(String[] args) {
			try (SocketManager manager = SocketManager.builder().shutdownHook(false).build()) {
				try (SocketReference reference = manager.getOrCreate(args[0])) {
					System.out.println("bound " + reference.path());
				}
				catch (SocketInUseException ex) {
					System.out.println("in use: " + ex.getMessage());
				}
			}
		}

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
