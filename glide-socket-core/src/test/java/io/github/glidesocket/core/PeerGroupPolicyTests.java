package io.github.glidesocket.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.glidesocket.core.SocketPathValidationTests.ExternalProcesses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PeerPolicy#allowing(Set, Set)} with group ids matches a peer's primary group only: the
 * kernel reports a connection's effective user and primary group ({@code SO_PEERCRED}), not its
 * supplementary groups. A client runs as user nobody through {@code setpriv}, once with the listed
 * group as its primary group and once with it as a supplementary group only.
 */
@Timeout(60)
class PeerGroupPolicyTests {

	/** A group other than nobody's; the client gets it through setpriv, no membership needed. */
	private static final long LISTED_GROUP = 4;

	/** Prints its groups, connects to argv[1], and prints EOF or DATA &lt;line&gt;. */
	private static final String PYTHON_CLIENT = String.join("\n", "import os, socket, sys",
			"print('GROUPS gid=%d supplementary=%s' % (os.getgid(), sorted(os.getgroups())), flush=True)",
			"c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "c.settimeout(20)", "c.connect(sys.argv[1])",
			"data = c.recv(100)", "print('EOF' if not data else 'DATA ' + data.decode().strip())");

	@TempDir
	Path directory;

	private final List<SocketManager> managers = new ArrayList<>();

	private final List<SocketReference> references = new ArrayList<>();

	@AfterEach
	void closeManagers() {
		this.references.forEach(SocketReference::close);
		this.managers.forEach(SocketManager::close);
	}

	@Test
	void peerWhosePrimaryGroupIsListedIsServed() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		List<String> rejections = new CopyOnWriteArrayList<>();
		AtomicReference<PeerCredentials> peer = new AtomicReference<>();
		String path = socket(rejections, peer);
		List<String> output = connectAs(python, List.of("--regid=" + LISTED_GROUP, "--clear-groups"), path);
		assertThat(output).containsExactly("GROUPS gid=" + LISTED_GROUP + " supplementary=[]", "DATA hello");
		assertThat(peer.get().uid()).isEqualTo(ExternalProcesses.NOBODY);
		assertThat(peer.get().gid()).isEqualTo(LISTED_GROUP);
		assertThat(rejections).isEmpty();
	}

	@Test
	void peerInListedGroupOnlyAsSupplementaryGroupIsRefused() throws Exception {
		String python = ExternalProcesses.assumePythonForNobody();
		List<String> rejections = new CopyOnWriteArrayList<>();
		AtomicReference<PeerCredentials> peer = new AtomicReference<>();
		String path = socket(rejections, peer);
		List<String> output = connectAs(python, List.of("--regid=" + ExternalProcesses.NOBODY, "--groups=" + LISTED_GROUP),
				path);
		assertThat(output).as("the client runs with the listed group as a supplementary group")
			.containsExactly("GROUPS gid=" + ExternalProcesses.NOBODY + " supplementary=[" + LISTED_GROUP + "]", "EOF");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(rejections).containsExactly(path + " PEER"));
		assertThat(peer.get()).as("credentials a handler saw").isNull();
	}

	private String socket(List<String> rejections, AtomicReference<PeerCredentials> peer) throws IOException {
		ExternalProcesses.assumeNobodyCanEnter(this.directory);
		SocketManager manager = SocketManager.builder()
			.name("peer-group")
			.shutdownHook(false)
			.fileCheckInterval(Duration.ZERO)
			.eventListener(new SocketEventListener() {

				@Override
				public void connectionRejected(String path, RejectReason reason) {
					rejections.add(path + " " + reason);
				}

			})
			.defaults(SocketOptions.builder()
				.permissions("rw-rw-rw-") // the kernel lets the client connect; only the policy decides
				.peerPolicy(PeerPolicy.allowing(Set.of(), Set.of(LISTED_GROUP)))
				.handler((connection) -> {
					peer.set(connection.peer());
					connection.outputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
					connection.inputStream().transferTo(OutputStream.nullOutputStream());
				})
				.build())
			.build();
		this.managers.add(manager);
		String path = this.directory.resolve("s.sock").toString();
		this.references.add(manager.getOrCreate(path));
		return path;
	}

	private static List<String> connectAs(String python, List<String> groups, String path) throws Exception {
		List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + ExternalProcesses.NOBODY));
		command.addAll(groups);
		command.addAll(List.of(python, "-c", PYTHON_CLIENT, path));
		return ExternalProcesses.run(command, Duration.ofSeconds(30)).lines().toList();
	}

}
