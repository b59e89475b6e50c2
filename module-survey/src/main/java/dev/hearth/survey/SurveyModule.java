package dev.hearth.survey;

import dev.hearth.module.ModuleContext;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.ui.PageData;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * The survey module: surveys in a project (drafted, opened, closed), their responses (one per user
 * unless allowed), live results as a materialized view ({@link ResultsView}) and CSV exports. Its
 * data is in its own encrypted store (layout in {@link SurveyStore}); its API is
 * {@code hearth.survey.v1.SurveyService}; docs/survey.md has the RPCs, topics, pages and limits.
 */
@Extension
public class SurveyModule implements dev.hearth.module.Module {

  @Override
  public String id() {
    return "survey";
  }

  @Override
  public Future<Void> start(ModuleContext context) {
    SurveyStore db = new SurveyStore(context.store());
    ResultsView view = new ResultsView(context.store());
    ViewHandle handle = context.store().registerView(view);
    Surveys surveys = new Surveys(db, context.authorization());
    Results results = new Results(db, surveys, view, handle);
    Answers answers = new Answers(db, surveys, new Live(db, results, context.realtime()));
    context.serve(SurveyService.binding(surveys, answers, new Forms(surveys, answers), results,
        new Exports(db, surveys, results)));
    context.realtime().topics(new SurveyTopics(db, context.authorization()));
    String rpc = "hearth.survey.v1.SurveyService/";
    String one = "{\"surveyId\": \"${params.surveyId}\"}";
    context.pages().page("surveys", "survey.page.list", "pages/surveys.json", PageData.of()
        .load("surveys", rpc + "ListSurveys", "{}", "surveys")
        // Opened, closed or changed: its status is merged into the listed survey by id; one not listed
        // yet (the event has no title) loads the list again (docs/web.md, "Live").
        .live("surveys", PageData.Live.update("survey.*"))
        .topic("survey/project/${project}"));
    context.pages().page("new", "survey.page.new", "pages/new.json", PageData.of());
    context.pages().page("form", "survey.page.form", "pages/form.json", PageData.of()
        .param("surveyId")
        .load("survey", rpc + "GetSurvey", one, "")
        // The survey's own change (its status) is merged into it; a response changes nothing on the form.
        .live("survey", PageData.Live.update("survey.updated"), PageData.Live.keep("response.added"))
        .topic("survey/survey/${params.surveyId}"));
    context.pages().page("results", "survey.page.results", "pages/results.json", PageData.of()
        .param("surveyId")
        .load("results", rpc + "GetResults", one, "")
        // Results are counted by the node: loaded again (the page's only source).
        .live("results", PageData.Live.reload("*"))
        .topic("survey/survey/${params.surveyId}"));
    context.pages().strings("i18n/survey", "ru");
    return Future.succeededFuture();
  }
}
