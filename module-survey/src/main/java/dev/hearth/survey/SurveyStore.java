package dev.hearth.survey;

import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.survey.v1.Response;
import dev.hearth.survey.v1.Survey;
import dev.hearth.survey.v1.Voter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The survey module's collections and how their keys are built. Keys hold ids only (they are
 * stored in clear); titles, questions and answers live in the encrypted values.
 *
 * <pre>
 * surveys          &lt;surveyId&gt;                 Survey
 * project_surveys  &lt;projectId&gt;/&lt;surveyId&gt;     survey id   lists a project's surveys
 * responses        &lt;surveyId&gt;/&lt;responseId&gt;    Response    folded by {@link ResultsView}; never rewritten
 * voters           &lt;surveyId&gt;/&lt;random id&gt;     Voter       index voter: SHA-256 of survey and user id (blind)
 * </pre>
 * The voter marker is what enforces one answer per user for named and anonymous surveys alike:
 * its key and the response's key share nothing, its value is a hash, and the index keeps only a
 * keyed token of that hash.
 */
final class SurveyStore {

  static final String SURVEYS = "surveys";
  static final String RESPONSES = "responses";
  static final String VOTER = "voter";

  final Store store;
  final Collection<Survey> surveys;
  final Collection<String> projectSurveys;
  final Collection<Response> responses;
  final Collection<Voter> voters;

  SurveyStore(Store store) {
    this.store = store;
    surveys = store.collection(CollectionSpec.of(SURVEYS, Codec.of(Survey.parser())));
    projectSurveys = store.collection(CollectionSpec.of("project_surveys", Codec.utf8()));
    responses = store.collection(CollectionSpec.of(RESPONSES, Codec.of(Response.parser())));
    voters = store.collection(CollectionSpec.of("voters", Codec.of(Voter.parser()))
        .withIndex(BlindIndex.of(VOTER, Voter::getTerm)));
  }

  /**
   * The marker of "this user answered this survey": a SHA-256 of survey and user id, so neither the
   * encrypted value nor the change log (nor a replica of it) holds the user id of an answer.
   */
  static String voterTerm(String surveyId, String userId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((surveyId + ":" + userId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String pair(String a, String b) {
    return a + "/" + b;
  }

  /** The key prefix of one survey's responses (and voter markers). */
  static String prefix(String surveyId) {
    return surveyId + "/";
  }

  static long now() {
    return System.currentTimeMillis() * 1000;
  }
}
