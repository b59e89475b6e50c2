package dev.hearth.survey;

import dev.hearth.module.api.ServiceBinding;
import dev.hearth.survey.v1.CreateFromFormRequest;
import dev.hearth.survey.v1.CreateSurveyRequest;
import dev.hearth.survey.v1.GetResultsRequest;
import dev.hearth.survey.v1.GetSurveyRequest;
import dev.hearth.survey.v1.ListResponsesRequest;
import dev.hearth.survey.v1.ListSurveysRequest;
import dev.hearth.survey.v1.SubmitFormRequest;
import dev.hearth.survey.v1.SubmitResponseRequest;
import dev.hearth.survey.v1.SurveyProto;
import dev.hearth.survey.v1.SurveyRef;
import dev.hearth.survey.v1.UpdateSurveyRequest;

/** Binds every method of {@code hearth.survey.v1.SurveyService} to the class that implements it. */
final class SurveyService {

  private SurveyService() {}

  static ServiceBinding binding(Surveys surveys, Answers answers, Forms forms, Results results, Exports exports) {
    return ServiceBinding.of(SurveyProto.getDescriptor().findServiceByName("SurveyService"))
        .unary("CreateSurvey", CreateSurveyRequest.getDefaultInstance(), surveys::create)
        .unary("CreateFromForm", CreateFromFormRequest.getDefaultInstance(), surveys::createFromForm)
        .unary("UpdateSurvey", UpdateSurveyRequest.getDefaultInstance(), surveys::update)
        .unary("ListSurveys", ListSurveysRequest.getDefaultInstance(), surveys::list)
        .unary("GetSurvey", GetSurveyRequest.getDefaultInstance(), surveys::get)
        .unary("OpenSurvey", SurveyRef.getDefaultInstance(), surveys::open)
        .unary("CloseSurvey", SurveyRef.getDefaultInstance(), surveys::close)
        .unary("SubmitResponse", SubmitResponseRequest.getDefaultInstance(), answers::submit)
        .unary("SubmitForm", SubmitFormRequest.getDefaultInstance(), forms::submit)
        .unary("GetResults", GetResultsRequest.getDefaultInstance(), results::get)
        .unary("ListResponses", ListResponsesRequest.getDefaultInstance(), exports::list)
        .unary("ExportResponses", SurveyRef.getDefaultInstance(), exports::responses)
        .unary("ExportResults", SurveyRef.getDefaultInstance(), exports::results)
        .build();
  }
}
