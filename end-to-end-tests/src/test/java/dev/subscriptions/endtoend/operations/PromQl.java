package dev.subscriptions.endtoend.operations;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * The metric names and label names a PromQL expression uses, read by a small tokenizer.
 * Metric names are the identifiers that are neither functions (followed by {@code (}),
 * aggregation operators nor keywords, outside label matchers ({@code {...}}), range and
 * subquery brackets ({@code [...]}), strings and label lists. Label names are those of
 * the matchers and of the lists of {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right}.
 */
final class PromQl {

	private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
			"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
			"quantile", "limitk", "limit_ratio");

	private final String expression;

	private final Set<String> metrics = new TreeSet<>();

	private final Set<String> labels = new TreeSet<>();

	private int position;

	private PromQl(String expression) {
		this.expression = expression;
		read();
	}

	/** The metric names {@code expression} selects, sorted. */
	static Set<String> metricNames(String expression) {
		return new PromQl(expression).metrics;
	}

	/** The label names {@code expression} matches, groups or joins by, sorted. */
	static Set<String> labelNames(String expression) {
		return new PromQl(expression).labels;
	}

	private void read() {
		while (this.position < this.expression.length()) {
			char current = this.expression.charAt(this.position);
			if (current == '"' || current == '\'' || current == '`') {
				skipString(current);
			}
			else if (current == '{') {
				skipTo('}', this.labels);
			}
			else if (current == '[') {
				skipTo(']', null);
			}
			else if (current == '#') {
				skipTo('\n', null);
			}
			else if (Character.isDigit(current) || (current == '.' && nextIsDigit())) {
				skipWhile(PromQl::isNumberPart);
			}
			else if (isIdentifierStart(current)) {
				String identifier = identifier();
				String keyword = identifier.toLowerCase(Locale.ROOT);
				char next = nextNonBlank();
				if (LABEL_LIST_KEYWORDS.contains(keyword)) {
					if (next == '(') {
						skipTo(')', this.labels);
					}
				}
				else if (next != '(' && !KEYWORDS.contains(keyword)) {
					this.metrics.add(identifier);
				}
			}
			else {
				this.position++;
			}
		}
	}

	private String identifier() {
		int start = this.position;
		skipWhile(PromQl::isIdentifierPart);
		return this.expression.substring(start, this.position);
	}

	/** The next character that is not blank, without consuming anything but blanks. */
	private char nextNonBlank() {
		skipWhile(Character::isWhitespace);
		return (this.position < this.expression.length()) ? this.expression.charAt(this.position) : 0;
	}

	private boolean nextIsDigit() {
		return this.position + 1 < this.expression.length()
				&& Character.isDigit(this.expression.charAt(this.position + 1));
	}

	/**
	 * Skips up to and past {@code end}, jumping over strings in between and adding the
	 * identifiers there to {@code identifiers} if any.
	 */
	private void skipTo(char end, @Nullable Set<String> identifiers) {
		this.position++;
		while (this.position < this.expression.length()) {
			char current = this.expression.charAt(this.position);
			if (current == end) {
				this.position++;
				return;
			}
			if (current == '"' || current == '\'' || current == '`') {
				skipString(current);
			}
			else if (identifiers != null && isIdentifierStart(current)) {
				identifiers.add(identifier());
			}
			else {
				this.position++;
			}
		}
	}

	private void skipString(char quote) {
		this.position++;
		while (this.position < this.expression.length()) {
			char current = this.expression.charAt(this.position++);
			if (current == '\\' && quote != '`') {
				this.position++;
			}
			else if (current == quote) {
				return;
			}
		}
	}

	private void skipWhile(CharPredicate predicate) {
		while (this.position < this.expression.length() && predicate.test(this.expression.charAt(this.position))) {
			this.position++;
		}
	}

	private static boolean isIdentifierStart(char character) {
		return Character.isLetter(character) || character == '_' || character == ':';
	}

	private static boolean isIdentifierPart(char character) {
		return isIdentifierStart(character) || Character.isDigit(character);
	}

	/** Digits, a decimal point, an exponent, hex digits and duration units. */
	private static boolean isNumberPart(char character) {
		return Character.isLetterOrDigit(character) || character == '.';
	}

	private interface CharPredicate {

		boolean test(char character);

	}

}
