package io.github.glidesocket.starter.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A systemd unit in the guide is made of sections systemd knows and settings in them, and the
 * starter's settings it passes name properties that exist.
 */
class SystemdUnitCheckerTests {

	@Test
	void aUnitWhoseSettingsBindHasNoProblems() {
		assertThat(SystemdUnitChecker.problems("""
				# a comment
				[Unit]
				Description=An application

				[Service]
				User=app
				Environment=GLIDE_SOCKET_PERMISSIONS=0660 "GLIDE_SOCKET_PEERS_USERS=nobody" LANG=C
				ExecStart=/usr/bin/java -jar /opt/app/app.jar \\
				    --glide.socket.path=/run/app/app.sock \\
				    --glide.socket.group=app-clients

				[Install]
				WantedBy=multi-user.target
				""")).isEmpty();
	}

	@Test
	void anArgumentThatNamesNoPropertyIsReported() {
		assertThat(SystemdUnitChecker.problems("""
				[Service]
				ExecStart=/usr/bin/java -jar app.jar \\
				    --glide.socket.peers.group=app-clients
				""")).singleElement().asString().contains("glide.socket.peers.group");
	}

	@Test
	void anEnvironmentVariableThatNamesNoPropertyIsReported() {
		assertThat(SystemdUnitChecker.problems("""
				[Service]
				Environment="GLIDE_SOCKET_PERMISSION=0660"
				""")).singleElement().asString().isEqualTo("GLIDE_SOCKET_PERMISSION names no glide.socket property");
	}

	@Test
	void anUnknownSectionIsReported() {
		assertThat(SystemdUnitChecker.problems("""
				[Services]
				User=app
				""")).singleElement().asString().contains("unknown section [Services]");
	}

	@Test
	void aLineThatIsNoSettingIsReported() {
		assertThat(SystemdUnitChecker.problems("""
				[Service]
				User app
				""")).singleElement().asString().contains("neither [Section] nor Key=Value: User app");
	}

	@Test
	void aSettingBeforeAnySectionIsReported() {
		assertThat(SystemdUnitChecker.problems("User=app\n")).singleElement().asString().contains("setting before any section");
	}

}
