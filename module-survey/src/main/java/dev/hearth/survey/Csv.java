package dev.hearth.survey;

import java.util.List;

/** RFC 4180 CSV: CRLF line ends; a field with a comma, quote or line break is quoted, quotes doubled. */
final class Csv {

  private final StringBuilder out = new StringBuilder();

  Csv row(List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) out.append(',');
      out.append(field(fields.get(i)));
    }
    out.append("\r\n");
    return this;
  }

  Csv row(String... fields) {
    return row(List.of(fields));
  }

  static String field(String v) {
    // A leading =, +, - or @ makes spreadsheets run the cell as a formula: quote it with a ' before.
    String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !isNumber(v) ? "'" + v : v;
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static boolean isNumber(String v) {
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
