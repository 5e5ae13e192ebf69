"""Turns expression text into tokens."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum, auto

from .errors import LexerError, located
from .values import parse_number

MAX_EXPRESSION_LENGTH = 21000


class T(Enum):
    LEFT_PAREN = auto()
    RIGHT_PAREN = auto()
    LEFT_BRACKET = auto()
    RIGHT_BRACKET = auto()
    COMMA = auto()
    DOT = auto()
    BANG = auto()
    BANG_EQUAL = auto()
    EQUAL_EQUAL = auto()
    GREATER = auto()
    GREATER_EQUAL = auto()
    LESS = auto()
    LESS_EQUAL = auto()
    AND = auto()
    OR = auto()
    STAR = auto()
    NUMBER = auto()
    STRING = auto()
    IDENTIFIER = auto()
    TRUE = auto()
    FALSE = auto()
    NULL = auto()
    EOF = auto()


@dataclass(frozen=True)
class Token:
    type: T
    lexeme: str
    offset: int
    value: object = None

    def describe(self) -> str:
        """How error messages quote the token."""
        if self.type is T.EOF:
            return "EOF"
        if self.type is T.STRING:
            return self.value
        return self.lexeme


_SINGLE = {"(": T.LEFT_PAREN, ")": T.RIGHT_PAREN, "[": T.LEFT_BRACKET, "]": T.RIGHT_BRACKET,
           ",": T.COMMA, "*": T.STAR}
# Operators that may be followed by "=" to form a two-character operator.
_WITH_EQUAL = {"!": (T.BANG, T.BANG_EQUAL), "<": (T.LESS, T.LESS_EQUAL),
               ">": (T.GREATER, T.GREATER_EQUAL)}
_DOUBLED = {"=": T.EQUAL_EQUAL, "&": T.AND, "|": T.OR}
_KEYWORDS = {"true": (T.TRUE, True), "false": (T.FALSE, False), "null": (T.NULL, None),
             "NaN": (T.NUMBER, math.nan), "Infinity": (T.NUMBER, math.inf)}
_BOUNDARIES = frozenset("([)],.!><=&|")
_WHITESPACE = frozenset(" \t\r\n")
# After these tokens a "." is member access; elsewhere it starts a number such as ".5".
_DOT_FOLLOWS = frozenset({T.IDENTIFIER, T.RIGHT_BRACKET, T.RIGHT_PAREN, T.STAR})


def _is_boundary(char: str) -> bool:
    return char in _BOUNDARIES or char.isspace()


def _is_identifier(text: str) -> bool:
    if not text or not (text[0].isascii() and (text[0].isalpha() or text[0] == "_")):
        return False
    return all(c.isascii() and (c.isalnum() or c in "_-") for c in text[1:])


class Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.start = 0
        self.tokens: list[Token] = []

    def lex(self) -> list[Token]:
        if len(self.text) > MAX_EXPRESSION_LENGTH:
            raise LexerError(f"Exceeded max expression length {MAX_EXPRESSION_LENGTH}")
        while self.pos < len(self.text):
            self.start = self.pos
            self._scan(self._next())
        self.tokens.append(Token(T.EOF, "", self.pos))
        return self.tokens

    def _scan(self, char: str) -> None:
        if char in _WHITESPACE:
            return
        if char in _SINGLE:
            self._add(_SINGLE[char])
        elif char in _WITH_EQUAL:
            plain, with_equal = _WITH_EQUAL[char]
            self._add(with_equal if self._match("=") else plain)
        elif char in _DOUBLED:
            self._doubled(char)
        elif char == "'":
            self._string()
        elif char == "." and self._previous() in _DOT_FOLLOWS:
            self._add(T.DOT)
        elif char in "+-." or "0" <= char <= "9":
            self._number()
        else:
            self._identifier()

    def _doubled(self, char: str) -> None:
        if self._match(char):
            self._add(_DOUBLED[char])
        else:
            self._identifier()  # reads the rest of the word so the error names it whole

    def _number(self) -> None:
        while self.pos < len(self.text) and (self._peek() == "." or not _is_boundary(self._peek())):
            self.pos += 1
        lexeme = self.text[self.start:self.pos]
        value = parse_number(lexeme)
        if math.isnan(value):
            raise self._unexpected(lexeme)
        self._add(T.NUMBER, value)

    def _string(self) -> None:
        while self.pos < len(self.text):
            if self._peek() == "'":
                if self.text[self.pos + 1:self.pos + 2] != "'":
                    break
                self.pos += 1
            self.pos += 1
        if self.pos >= len(self.text):
            raise self._unexpected(self.text[self.start:])
        self.pos += 1
        body = self.text[self.start + 1:self.pos - 1]
        self._add(T.STRING, body.replace("''", "'"))

    def _identifier(self) -> None:
        while self.pos < len(self.text) and not _is_boundary(self._peek()):
            self.pos += 1
        lexeme = self.text[self.start:self.pos]
        kind, value = T.IDENTIFIER, None
        if self._previous() is not T.DOT and lexeme in _KEYWORDS:
            kind, value = _KEYWORDS[lexeme]
        if not _is_identifier(lexeme):
            raise self._unexpected(lexeme)
        self._add(kind, value)

    def _unexpected(self, lexeme: str) -> LexerError:
        return LexerError(located(f"Unexpected symbol: '{lexeme}'", self.start, self.text))

    def _add(self, kind: T, value=None) -> None:
        self.tokens.append(Token(kind, self.text[self.start:self.pos], self.start, value))

    def _next(self) -> str:
        self.pos += 1
        return self.text[self.pos - 1]

    def _peek(self) -> str:
        return self.text[self.pos]

    def _match(self, expected: str) -> bool:
        if self.text[self.pos:self.pos + 1] == expected:
            self.pos += 1
            return True
        return False

    def _previous(self) -> T:
        return self.tokens[-1].type if self.tokens else T.EOF


def tokenize(text: str) -> list[Token]:
    return Lexer(text).lex()
