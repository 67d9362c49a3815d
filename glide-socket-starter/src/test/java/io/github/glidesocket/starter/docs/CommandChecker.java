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
 * classes a {@code ./mvnw} command names, the jar a {@code java -jar} command runs, and the
 * options a script of the repository is given. Commands of other tools are not checked here.
 */
public final class CommandChecker {

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
			problems.addAll(scriptProblems(command));
		}
		return problems;
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
