package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the commands the guide shows against the repository: the modules, profiles and test
 * classes a {@code ./mvnw} command names, the jar a {@code java -jar} command runs, the options a
 * script of the repository is given, the sample application's HTTP paths and actuator endpoints
 * a {@code curl} command reaches, the commands {@code redis-cli} sends it, that {@code mkdir}
 * makes absolute directories, and that {@code systemd-socket-activate} passes the socket on
 * standard input to a checked {@code java} command.
 */
public final class CommandChecker {

	private static final Pattern CHECKED_COMMAND = Pattern.compile("^(\\./mvnw|java|curl|redis-cli|mkdir|systemd-socket-activate) |^\\S+\\.sh\\b");

	private static final Pattern SCRIPT = Pattern.compile("(?:^|\\s)((?:[\\w.-]+/)*[\\w.-]+\\.sh)\\b");

	private final Path root;

	private final String version;

	public CommandChecker(Path root, String version) {
		this.root = root;
		this.version = version;
	}

	/**
	 * The problems of a shell snippet, one per wrong word.
	 */
	public List<String> problems(String shell) {
		List<String> problems = new ArrayList<>();
		for (String line : shell.replace("\\\n", " ").split("\n")) {
			String command = line.replaceAll("(^|\\s)#.*$", "").strip();
			if (command.startsWith("./mvnw")) {
				problems.addAll(mavenProblems(command));
			}
			if (command.startsWith("java ")) {
				problems.addAll(jarProblems(command));
			}
			if (command.startsWith("curl ")) {
				problems.addAll(httpProblems(command));
			}
			if (command.startsWith("redis-cli ")) {
				problems.addAll(redisProblems(command));
			}
			if (command.startsWith("mkdir ")) {
				problems.addAll(mkdirProblems(command));
			}
			if (command.startsWith("systemd-socket-activate ")) {
				problems.addAll(socketActivationProblems(command));
			}
			problems.addAll(scriptProblems(command));
			if (!command.isEmpty() && !CHECKED_COMMAND.matcher(command).find()) {
				problems.add("no check for this command; show only commands a test checks: " + command);
			}
		}
		return problems;
	}

	/**
	 * A request to the sample application: an actuator endpoint it exposes, or a path and method
	 * one of its controllers maps.
	 */
	private List<String> httpProblems(String command) {
		Matcher url = Pattern.compile("localhost:\\d+(/[^'\\s?]*)").matcher(command);
		if (!url.find()) {
			return List.of("no URL of the sample application in: " + command);
		}
		String path = url.group(1);
		Matcher method = Pattern.compile("-X\\s+(\\w+)").matcher(command);
		String httpMethod = method.find() ? method.group(1) : "GET";
		String sample = read(this.root.resolve("sample-app/src/main/resources/application.properties"));
		if (path.startsWith("/actuator/")) {
			String endpoint = path.substring("/actuator/".length()).split("/")[0];
			Matcher exposed = Pattern.compile("management\\.endpoints\\.web\\.exposure\\.include=(.*)").matcher(sample);
			boolean isExposed = exposed.find() && List.of(exposed.group(1).strip().split("\\s*,\\s*")).contains(endpoint);
			return isExposed ? List.of() : List.of("the sample does not expose the actuator endpoint " + endpoint);
		}
		for (String mapping : sampleMappings()) {
			String[] parts = mapping.split(" ", 2);
			if (parts[0].equals(httpMethod) && path.matches(parts[1].replaceAll("\\{[^}]+}", "[^/]+"))) {
				return List.of();
			}
		}
		return List.of("no " + httpMethod + " " + path + " in the sample's controllers " + sampleMappings());
	}

	/**
	 * The sample's controller mappings, each as "METHOD /path/{variable}".
	 */
	private List<String> sampleMappings() {
		List<String> mappings = new ArrayList<>();
		Pattern annotation = Pattern.compile("@(Get|Post|Put|Delete|Patch|Request)Mapping(?:\\(\"([^\"]*)\"\\))?");
		try (Stream<Path> files = Files.walk(this.root.resolve("sample-app/src/main/java"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				String prefix = "";
				Matcher found = annotation.matcher(read(file));
				while (found.find()) {
					String path = (found.group(2) != null) ? found.group(2) : "";
					if (found.group(1).equals("Request")) {
						prefix = path;
					}
					else {
						mappings.add(found.group(1).toUpperCase(java.util.Locale.ROOT) + " " + prefix + path);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return mappings;
	}

	/**
	 * {@code mkdir -p} of absolute directories: what a recipe needs before its socket's path.
	 */
	private static List<String> mkdirProblems(String command) {
		List<String> words = Arrays.asList(command.split("\\s+"));
		if (words.size() < 3 || !words.get(1).equals("-p")
				|| !words.subList(2, words.size()).stream().allMatch((word) -> word.startsWith("/"))) {
			return List.of("show mkdir as 'mkdir -p' of absolute directories: " + command);
		}
		return List.of();
	}

	/**
	 * {@code systemd-socket-activate}: the socket on standard input ({@code --inetd}: the JDK
	 * cannot use another descriptor), a path to listen on, and a checked {@code java} command.
	 */
	private List<String> socketActivationProblems(String command) {
		List<String> problems = new ArrayList<>();
		if (!command.contains(" --inetd ")) {
			problems.add("systemd-socket-activate passes the socket on standard input only with --inetd: " + command);
		}
		if (!Pattern.compile(" (-l|--listen=?) ?/\\S+ ").matcher(command).find()) {
			problems.add("systemd-socket-activate needs a path to listen on (-l /path): " + command);
		}
		int java = command.indexOf("java ");
		if (java < 0) {
			problems.add("systemd-socket-activate starts no java command: " + command);
		}
		else {
			problems.addAll(jarProblems(command.substring(java)));
		}
		return problems;
	}

	/**
	 * A command sent to the sample with {@code redis-cli}: one it implements.
	 */
	private List<String> redisProblems(String command) {
		List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
		words.remove(0);
		while (!words.isEmpty() && words.get(0).startsWith("-")) {
			String option = words.remove(0);
			if (List.of("-s", "-h", "-p", "-a", "-n").contains(option) && !words.isEmpty()) {
				words.remove(0);
			}
		}
		if (words.isEmpty()) {
			return List.of();
		}
		String name = words.get(0).toLowerCase(java.util.Locale.ROOT);
		StringBuilder commands = new StringBuilder();
		try (Stream<Path> files = Files.list(this.root.resolve("sample-app/src/main/java/io/github/glidesocket/sample/resp"))) {
			files.forEach((file) -> commands.append(read(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return commands.toString().contains("new RespCommand(\"" + name + "\"") ? List.of()
				: List.of("the sample implements no command " + words.get(0));
	}

	/**
	 * The problems of a script invocation, wherever it is written (also in prose).
	 */
	public List<String> scriptProblems(String command) {
		List<String> problems = new ArrayList<>();
		Matcher script = SCRIPT.matcher(command);
		if (!script.find()) {
			return problems;
		}
		Optional<Path> file = script(script.group(1));
		if (file.isEmpty()) {
			problems.add("no script " + script.group(1) + " in the repository");
			return problems;
		}
		String text = read(file.get());
		for (String word : command.substring(script.end()).strip().split("\\s+")) {
			if (word.startsWith("-") && !Pattern.compile("(^|[\\s|(])" + Pattern.quote(word) + "[)|]").matcher(text).find()) {
				problems.add(file.get().getFileName() + " takes no option " + word);
			}
		}
		return problems;
	}

	private List<String> mavenProblems(String command) {
		List<String> problems = new ArrayList<>();
		List<String> words = Arrays.asList(command.split("\\s+"));
		for (int i = 0; i < words.size(); i++) {
			String word = words.get(i);
			if (word.equals("-pl") && i + 1 < words.size()) {
				for (String module : words.get(i + 1).split(",")) {
					if (!Files.isRegularFile(this.root.resolve(module).resolve("pom.xml"))) {
						problems.add("no module " + module);
					}
				}
			}
			if (word.startsWith("-P") && word.length() > 2) {
				for (String profile : word.substring(2).split(",")) {
					if (!anyPomDefinesProfile(profile)) {
						problems.add("no profile " + profile);
					}
				}
			}
			for (String property : List.of("-Dtest=", "-Dit.test=")) {
				if (word.startsWith(property)) {
					for (String testClass : word.substring(property.length()).split(",")) {
						if (!testClassExists(testClass)) {
							problems.add("no test class " + testClass);
						}
					}
				}
			}
		}
		return problems;
	}

	private List<String> jarProblems(String command) {
		List<String> problems = new ArrayList<>();
		Matcher jar = Pattern.compile("-(?:jar|cp)\\s+([\\w-]+)/target/(\\S+)\\.jar").matcher(command);
		if (jar.find()) {
			String module = jar.group(1);
			Path pom = this.root.resolve(module).resolve("pom.xml");
			if (!Files.isRegularFile(pom)) {
				problems.add("no module " + module);
				return problems;
			}
			// The module's own jar, or one a plugin of the module names (a shaded jar, say).
			if (!jar.group(2).equals(module + "-" + this.version)
					&& !read(pom).contains("<finalName>" + jar.group(2) + "</finalName>")) {
				problems.add("the jar of " + module + " is " + module + "-" + this.version + ".jar, not " + jar.group(2)
						+ ".jar");
			}
		}
		return problems;
	}

	private Optional<Path> script(String name) {
		Path direct = this.root.resolve(name);
		if (Files.isRegularFile(direct)) {
			return Optional.of(direct);
		}
		String fileName = Path.of(name).getFileName().toString();
		try (Stream<Path> files = Files.walk(this.root.resolve("benchmarks"))) {
			return files.filter((file) -> file.getFileName().toString().equals(fileName)).findFirst();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private boolean anyPomDefinesProfile(String profile) {
		try (Stream<Path> poms = Files.walk(this.root, 2)) {
			return poms.filter((file) -> file.getFileName().toString().equals("pom.xml"))
				.map(CommandChecker::read)
				.anyMatch((pom) -> Pattern.compile("<profile>\\s*<id>" + Pattern.quote(profile) + "</id>").matcher(pom).find());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether a test class of that name, or matching that pattern ({@code Docs*Tests}), exists.
	 */
	private boolean testClassExists(String testClass) {
		Pattern name = Pattern.compile(Pattern.quote(testClass.replace("'", "").replace("\"", "")).replace("*", "\\E\\w*\\Q")
				+ "\\.java");
		try (Stream<Path> files = Files.walk(this.root)) {
			return files.anyMatch((file) -> name.matcher(file.getFileName().toString()).matches()
					&& file.toString().contains("src" + java.io.File.separator + "test"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
