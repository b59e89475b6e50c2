package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * Answers that are verdicts. A method that checks something (usermodule validate) answers 200 with
 * {@code "valid": false} and the problems: a successful call, but a script that runs it must be
 * able to stop on a failed check without parsing the JSON. So an answer with a singular
 * {@code bool valid} field that is false makes the command exit 1, after printing it.
 */
final class Verdicts {

  private Verdicts() {}

  static boolean failed(Message answer) {
    FieldDescriptor valid = answer.getDescriptorForType().findFieldByName("valid");
    return valid != null && valid.getJavaType() == FieldDescriptor.JavaType.BOOLEAN && !valid.isRepeated()
        && !(Boolean) answer.getField(valid);
  }
}
