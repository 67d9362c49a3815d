package io.github.glidesocket.starter.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Kubernetes manifest in the guide parses, and the starter's settings of its containers name
 * properties that exist, as Spring Boot reads them from the environment and the command line.
 */
class KubernetesManifestCheckerTests {

	@Test
	void aManifestWhoseSettingsBindHasNoProblems() {
		assertThat(KubernetesManifestChecker.problems(pod("""
				      env:
				        - name: GLIDE_SOCKET_PATH
				          value: /sockets/app.sock
				        - name: GLIDE_SOCKET_PEERS_UIDS
				          value: "1001"
				        - name: GLIDE_SOCKET_DIRECTORY_CHECK
				          value: "off"
				        - name: JAVA_TOOL_OPTIONS
				          value: -Xmx256m
				      args: ["--glide.socket.permissions=0660", "--glide.socket.sockets.admin.path=/sockets/admin.sock"]
				"""))).isEmpty();
	}

	@Test
	void anEnvironmentVariableThatNamesNoPropertyIsReported() {
		assertThat(KubernetesManifestChecker.problems(pod("""
				      env:
				        - name: GLIDE_SOCKET_PEER_UIDS
				          value: "1001"
				"""))).singleElement().asString().isEqualTo("container app: GLIDE_SOCKET_PEER_UIDS names no glide.socket property");
	}

	@Test
	void aValueThePropertyDoesNotTakeIsReported() {
		assertThat(KubernetesManifestChecker.problems(pod("""
				      env:
				        - name: GLIDE_SOCKET_MAX_CONNECTIONS
				          value: many
				"""))).singleElement().asString().contains("glide.socket.max-connections").contains("many");
	}

	@Test
	void anArgumentThatNamesNoPropertyIsReported() {
		assertThat(KubernetesManifestChecker.problems(pod("""
				      args: ["--glide.socket.permission=0660"]
				"""))).singleElement().asString().contains("glide.socket.permission");
	}

	@Test
	void containersOfADeploymentsTemplateAreChecked() {
		assertThat(KubernetesManifestChecker.problems("""
				apiVersion: apps/v1
				kind: Deployment
				spec:
				  template:
				    spec:
				      containers:
				        - name: app
				          env:
				            - name: GLIDE_SOCKET_GRUOP
				              value: "2000"
				""")).singleElement().asString().contains("GLIDE_SOCKET_GRUOP names no glide.socket property");
	}

	@Test
	void yamlThatDoesNotParseIsReported() {
		assertThat(KubernetesManifestChecker.problems("spec:\n  containers: [\n")).singleElement()
			.asString()
			.startsWith("not YAML");
	}

	private static String pod(String container) {
		return """
				apiVersion: v1
				kind: Pod
				metadata:
				  name: app
				spec:
				  containers:
				    - name: app
				      image: example/app:1.0
				""" + container;
	}

}
