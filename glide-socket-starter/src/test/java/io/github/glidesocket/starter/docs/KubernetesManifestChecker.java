package io.github.glidesocket.starter.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Checks a YAML block of the guide: it parses and, where it is a Kubernetes manifest, the
 * {@code GLIDE_SOCKET_*} variables of each container's {@code env} and the
 * {@code --glide.socket.*=} entries of its {@code args} and {@code command} name properties of
 * the starter and have values they take.
 */
final class KubernetesManifestChecker {

	private KubernetesManifestChecker() {
	}

	static List<String> problems(String yaml) {
		List<String> problems = new ArrayList<>();
		List<Object> documents = new ArrayList<>();
		try {
			new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(documents::add);
		}
		catch (YAMLException ex) {
			return List.of("not YAML: " + ex.getMessage());
		}
		if (documents.isEmpty()) {
			return List.of("no YAML document");
		}
		List<Map<?, ?>> containers = new ArrayList<>();
		documents.forEach((document) -> collectContainers(document, containers));
		for (Map<?, ?> container : containers) {
			String name = String.valueOf(container.get("name"));
			Map<String, String> environment = new LinkedHashMap<>();
			for (Object entry : list(container.get("env"))) {
				if (entry instanceof Map<?, ?> variable && variable.get("name") instanceof String variableName
						&& variableName.toUpperCase(Locale.ROOT).startsWith("GLIDE_")) {
					environment.put(variableName, String.valueOf(variable.get("value")));
				}
			}
			Map<String, String> arguments = new LinkedHashMap<>();
			for (String key : List.of("command", "args")) {
				for (Object argument : list(container.get(key))) {
					String text = String.valueOf(argument);
					if (text.startsWith("--glide.")) {
						int equals = text.indexOf('=');
						if (equals < 0) {
							problems.add("container " + name + ": " + text + " has no value (--name=value)");
						}
						else {
							arguments.put(text.substring(2, equals), text.substring(equals + 1));
						}
					}
				}
			}
			GlideSocketSettings.ofEnvironment(environment).forEach((problem) -> problems.add("container " + name + ": " + problem));
			GlideSocketSettings.ofProperties(arguments).forEach((problem) -> problems.add("container " + name + ": " + problem));
		}
		return problems;
	}

	/**
	 * The containers (and init containers) of a pod spec anywhere in a document: in a Pod, a
	 * Deployment's template, a CronJob's job template.
	 */
	private static void collectContainers(Object node, List<Map<?, ?>> containers) {
		if (node instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (entry.getKey().equals("containers") || entry.getKey().equals("initContainers")) {
					list(entry.getValue()).stream()
						.filter(Map.class::isInstance)
						.forEach((container) -> containers.add((Map<?, ?>) container));
				}
				else {
					collectContainers(entry.getValue(), containers);
				}
			}
		}
		else if (node instanceof List<?> list) {
			list.forEach((element) -> collectContainers(element, containers));
		}
	}

	private static List<?> list(Object node) {
		return (node instanceof List<?> list) ? list : List.of();
	}

}
