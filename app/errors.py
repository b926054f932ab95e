"""Domain errors; front ends map them to HTTP codes or Russian chat messages in one place each."""


class FeedbackFirstError(Exception):
    """Base of every error a user may be told about."""

    user_message = "Что-то пошло не так. Попробуйте ещё раз."


class BankNotBuilt(FeedbackFirstError):
    user_message = "Банк вопросов ещё не собран: выполните `feedbackfirst bank build`."


class IndexMismatch(FeedbackFirstError):
    """The LanceDB index was built with another embedding model, backend or dimension."""

    user_message = "Индекс вопросов собран другой моделью эмбеддингов: пересоберите банк."


class NotFound(FeedbackFirstError):
    user_message = "Не найдено."


class ExplainedError(FeedbackFirstError):
    """An error whose Russian message is written where it is raised, saying what to fix."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class InvalidAnswer(ExplainedError):
    """An answer that cannot be graded (empty, junk, too long); the message says why in Russian."""
