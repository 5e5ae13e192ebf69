"""Builds an expression tree from tokens (recursive descent, lowest precedence first)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import ParserError, located
from .functions import FUNCTIONS
from .lexer import T, Token, tokenize

MAX_DEPTH = 50


class Node:
    def children(self) -> Iterable[Node]:
        return ()


@dataclass
class Literal(Node):
    value: object
    token: Token


@dataclass
class Unary(Node):
    operator: Token
    operand: Node

    def children(self):
        return (self.operand,)


@dataclass
class Binary(Node):
    left: Node
    operator: Token
    right: Node

    def children(self):
        return (self.left, self.right)


@dataclass
class Logical(Node):
    """`a && b && c` (or `||`) as one node, so long chains do not nest deeply."""

    operator: Token
    args: list[Node] = field(default_factory=list)

    def children(self):
        return self.args


@dataclass
class Grouping(Node):
    inner: Node

    def children(self):
        return (self.inner,)


@dataclass
class ContextAccess(Node):
    name: Token


@dataclass
class Star(Node):
    """The `*` of `a.*` or `a[*]`."""


@dataclass
class IndexAccess(Node):
    target: Node
    index: Node

    def children(self):
        return (self.target, self.index)


@dataclass
class FunctionCall(Node):
    name: Token
    args: list[Node]

    def children(self):
        return self.args


def walk(node: Node | None) -> Iterator[Node]:
    if node is None:
        return
    yield node
    for child in node.children():
        yield from walk(child)


_EQUALITY = (T.EQUAL_EQUAL, T.BANG_EQUAL)
_COMPARISON = (T.GREATER, T.GREATER_EQUAL, T.LESS, T.LESS_EQUAL)
_POSTFIX_TARGETS = (Grouping, FunctionCall, ContextAccess)


class Parser:
    def __init__(self, tokens: list[Token], text: str, context_names: Iterable[str]):
        self.tokens = tokens
        self.text = text
        self.contexts = {str(name).lower() for name in context_names}
        self.pos = 0
        self.depth = 0

    def parse(self) -> Node | None:
        if self._at_end():
            return None
        tree = self._expression()
        if not self._at_end():
            raise self._error("Unexpected symbol", self._peek())
        return tree

    # Depth is counted as the runner counts it, so the same expressions hit the limit.
    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._error(f"Exceeded max expression depth {MAX_DEPTH}", self._peek())

    def _leave(self, times: int = 1) -> None:
        self.depth -= times

    def _expression(self) -> Node:
        self._enter()
        try:
            return self._logical(T.OR, self._and)
        finally:
            self._leave()

    def _and(self) -> Node:
        return self._logical(T.AND, self._equality)

    def _logical(self, operator: T, operand) -> Node:
        first = operand()
        if not self._check(operator):
            return first
        self._enter()
        try:
            node = Logical(self._peek(), [first])
            while self._match(operator):
                node.args.append(operand())
            return node
        finally:
            self._leave()

    def _equality(self) -> Node:
        return self._binary(_EQUALITY, self._comparison)

    def _comparison(self) -> Node:
        return self._binary(_COMPARISON, self._unary)

    def _binary(self, operators, operand) -> Node:
        node = operand()
        while self._match(*operators):
            operator = self._previous()
            node = Binary(node, operator, operand())
        return node

    def _unary(self) -> Node:
        if not self._match(T.BANG):
            return self._postfix()
        self._enter()
        try:
            operator = self._previous()
            return Unary(operator, self._unary())
        finally:
            self._leave()

    def _postfix(self) -> Node:
        node = self._call()
        if not isinstance(node, _POSTFIX_TARGETS):
            return node
        levels = 0
        try:
            while self._check(T.LEFT_BRACKET) or self._check(T.DOT):
                node = self._bracket(node) if self._match(T.LEFT_BRACKET) else self._member(node)
                levels += 1
            return node
        finally:
            self._leave(levels)

    def _bracket(self, target: Node) -> Node:
        index = Star() if self._match(T.STAR) else self._expression()
        self._consume(T.RIGHT_BRACKET)
        self._enter()
        return IndexAccess(target, index)

    def _member(self, target: Node) -> Node:
        self._next()  # the dot
        self._enter()
        if self._match(T.IDENTIFIER):
            name = self._previous()
            return IndexAccess(target, Literal(name.lexeme, name))
        if self._match(T.STAR):
            return IndexAccess(target, Star())
        raise self._error("Unexpected symbol", self._peek())

    def _call(self) -> Node:
        if not self._check(T.IDENTIFIER):
            return self._primary()
        name = self._next()
        if not self._match(T.LEFT_PAREN):
            if name.lexeme.lower() not in self.contexts:
                raise self._error("Unrecognized named-value", name)
            return ContextAccess(name)
        args = self._arguments()
        self._validate_call(name, len(args))
        return FunctionCall(name, args)

    def _arguments(self) -> list[Node]:
        args = []
        while not self._match(T.RIGHT_PAREN):
            args.append(self._expression())
            if not self._check(T.RIGHT_PAREN):
                self._consume(T.COMMA)
        return args

    def _validate_call(self, name: Token, count: int) -> None:
        spec = FUNCTIONS.get(name.lexeme.lower())
        if spec is None:
            raise self._error("Unrecognized function", name)
        if count < spec.min_args:
            raise self._error("Too few parameters supplied", name)
        if count > spec.max_args:
            raise self._error("Too many parameters supplied", name)
        if spec.odd_args and count % 2 == 0:
            raise self._error(
                "Even number of parameters supplied, requires an odd number of parameters", name)

    def _primary(self) -> Node:
        if self._match(T.FALSE, T.TRUE, T.NULL, T.NUMBER, T.STRING):
            token = self._previous()
            return Literal(token.value, token)
        if self._match(T.LEFT_PAREN):
            inner = self._expression()
            if self._at_end():
                raise self._error("Unexpected end of expression", self._previous())
            self._consume(T.RIGHT_PAREN)
            return Grouping(inner)
        if self._at_end():
            raise self._error("Unexpected end of expression", self._previous())
        raise self._error("Unexpected symbol", self._peek())

    def _match(self, *types: T) -> bool:
        if any(self._check(kind) for kind in types):
            self._next()
            return True
        return False

    def _check(self, kind: T) -> bool:
        return not self._at_end() and self._peek().type is kind

    def _consume(self, kind: T) -> None:
        if not self._match(kind):
            raise self._error("Unexpected symbol", self._peek())

    def _at_end(self) -> bool:
        return self._peek().type is T.EOF

    def _next(self) -> Token:
        if not self._at_end():
            self.pos += 1
        return self._previous()

    def _peek(self) -> Token:
        return self.tokens[self.pos]

    def _previous(self) -> Token:
        return self.tokens[self.pos - 1]

    def _error(self, message: str, token: Token) -> ParserError:
        return ParserError(located(f"{message}: '{token.describe()}'", token.offset, self.text))


def parse(text: str, context_names: Iterable[str]) -> Node | None:
    """Lexes and parses `text`; only the given named contexts may be referenced."""
    return Parser(tokenize(text), text, context_names).parse()
