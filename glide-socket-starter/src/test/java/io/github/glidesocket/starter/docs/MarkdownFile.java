package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown page of the guide, read as GitHub renders it: its fenced code blocks, the anchors
 * of its headings and the links in its prose (links inside code are text, not links).
 */
public final class MarkdownFile {

	private static final Pattern FENCE = Pattern.compile("^(```+)\\s*([\\w-]*).*$");

	private static final Pattern CHECK_MARKER = Pattern.compile("^<!--\\s*check:\\s*(.+?)\\s*-->$");

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

	private static final Pattern INLINE_CODE = Pattern.compile("(`+)(.+?)\\1");

	private static final Pattern LINK = Pattern.compile("\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private final Path path;

	private final List<String> lines;

	private MarkdownFile(Path path, List<String> lines) {
		this.path = path;
		this.lines = lines;
	}

	public static MarkdownFile read(Path path) throws IOException {
		return new MarkdownFile(path, Files.readAllLines(path));
	}

	public Path path() {
		return this.path;
	}

	/**
	 * Every fenced code block, with the check named by a {@code <!-- check: ... -->} comment on
	 * the line just before its opening fence, if any.
	 */
	public List<CodeBlock> codeBlocks() {
		List<CodeBlock> blocks = new ArrayList<>();
		for (int i = 0; i < this.lines.size(); i++) {
			Matcher open = FENCE.matcher(this.lines.get(i));
			if (!open.matches()) {
				continue;
			}
			int close = closingFence(i, open.group(1));
			String check = null;
			if (i > 0) {
				Matcher marker = CHECK_MARKER.matcher(this.lines.get(i - 1).strip());
				if (marker.matches()) {
					check = marker.group(1);
				}
			}
			blocks.add(new CodeBlock(this.path, i + 1, open.group(2), check,
					String.join("\n", this.lines.subList(i + 1, close))));
			i = close;
		}
		return blocks;
	}

	/**
	 * The anchors GitHub gives this page's headings, in order.
	 */
	public Set<String> anchors() {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : proseLines()) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(2));
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return anchors;
	}

	/**
	 * The targets of the inline links in the page's prose, each with its line number.
	 */
	public List<Link> links() {
		List<Link> links = new ArrayList<>();
		List<String> prose = proseLines();
		for (int i = 0; i < prose.size(); i++) {
			Matcher link = LINK.matcher(INLINE_CODE.matcher(prose.get(i)).replaceAll("code"));
			while (link.find()) {
				links.add(new Link(this.path, i + 1, link.group(1)));
			}
		}
		return links;
	}

	/**
	 * The page's lines with the lines of fenced code blocks blanked, so line numbers stay true.
	 */
	private List<String> proseLines() {
		List<String> prose = new ArrayList<>(this.lines);
		for (int i = 0; i < prose.size(); i++) {
			Matcher open = FENCE.matcher(prose.get(i));
			if (open.matches()) {
				int close = closingFence(i, open.group(1));
				for (int j = i; j <= close && j < prose.size(); j++) {
					prose.set(j, "");
				}
				i = close;
			}
		}
		return prose;
	}

	private int closingFence(int open, String fence) {
		for (int i = open + 1; i < this.lines.size(); i++) {
			if (this.lines.get(i).strip().equals(fence)) {
				return i;
			}
		}
		throw new IllegalStateException(this.path + ":" + (open + 1) + ": code block is never closed");
	}

	/**
	 * GitHub's anchor for a heading: the rendered text in lower case, without punctuation other
	 * than hyphens and underscores, spaces turned into hyphens.
	 */
	static String slug(String heading) {
		String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
		StringBuilder slug = new StringBuilder();
		text.toLowerCase(Locale.ROOT).codePoints().forEach((c) -> {
			if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
				slug.appendCodePoint(c);
			}
			else if (c == ' ') {
				slug.append('-');
			}
		});
		return slug.toString();
	}

	/**
	 * A fenced code block.
	 * @param file the page
	 * @param line the line of its opening fence
	 * @param language the fence's language
	 * @param check the check named before it, or {@code null}
	 * @param text its content
	 */
	public record CodeBlock(Path file, int line, String language, String check, String text) {

		@Override
		public String toString() {
			return this.file + ":" + this.line + " (" + this.language + ")";
		}

	}

	/**
	 * A link in a page's prose.
	 * @param file the page
	 * @param line the line it is on
	 * @param target what it points to
	 */
	public record Link(Path file, int line, String target) {

		@Override
		public String toString() {
			return this.file + ":" + this.line + " -> " + this.target;
		}

	}

}
