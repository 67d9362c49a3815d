package io.github.glidesocket.sample.process;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that runs as user {@code nobody} (through {@code setpriv}), connects to a socket,
 * sends PING and prints what happened, for tests of who the kernel and the peer policy let in.
 */
final class NobodyClient {

	/**
	 * The system's command path: a python3 found earlier on the test's own PATH (such as a
	 * version manager's shim in root's home) may not be executable by nobody.
	 */
	static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

	/**
	 * Prints {@code UID <uid> GROUPS [<gids>]}, then {@code CONNECT-ERROR <errno>},
	 * {@code REPLY <line>} or {@code CLOSED} (the connection ended without a reply).
	 */
	private static final String CLIENT = """
			import errno, os, socket, sys
			print("UID", os.getuid(), "GROUPS", sorted(set([os.getgid()] + os.getgroups())))
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.settimeout(10)
			try:
			    s.connect(sys.argv[1])
			except OSError as e:
			    print("CONNECT-ERROR", errno.errorcode.get(e.errno, e.errno))
			    sys.exit(0)
			data = b""
			try:
			    s.sendall(b"*1\\r\\n$4\\r\\nPING\\r\\n")
			    while not data.endswith(b"\\r\\n"):
			        chunk = s.recv(64)
			        if not chunk:
			            break
			        data += chunk
			except (BrokenPipeError, ConnectionResetError):
			    pass
			print("REPLY " + data.decode().strip() if data else "CLOSED")
			""";

	private NobodyClient() {
	}

	/**
	 * Connect as nobody, in group nogroup.
	 * @param socket the socket
	 * @param groups the supplementary groups, as {@code setpriv} takes them
	 * ({@code --clear-groups} or {@code --groups=GID})
	 * @return the lines the client printed
	 */
	static List<String> connect(Path socket, String groups) throws Exception {
		return run(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", groups, "python3", "-c", CLIENT,
				socket.toString()));
	}

	/**
	 * Run a command with the system's command path.
	 * @return its output lines; for {@code getent}, none when the key is not found
	 */
	static List<String> run(List<String> command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
		builder.environment().put("PATH", SYSTEM_PATH);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		if (process.exitValue() == 2 && command.get(0).equals("getent")) {
			return List.of();
		}
		assertThat(process.exitValue()).as("exit code of %s, output: %s", command, output).isZero();
		return output.lines().toList();
	}

	static boolean onPath(String command) {
		return Stream.of(SYSTEM_PATH.split(File.pathSeparator))
			.anyMatch((directory) -> Files.isExecutable(Path.of(directory, command)));
	}

}
