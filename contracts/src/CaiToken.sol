// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title CAI, the Cuckoo network's ERC-20 token (18 decimals) with a devnet-only faucet.
/// @notice The deployer owns the token, receives the initial supply and may turn the faucet off and on.
/// Ownership moves in two steps (`transferOwnership`, then `acceptOwnership` by the new owner), so that a
/// mistyped address cannot take it. Anyone may `burn` its own tokens; the staking contract burns slashes.
contract CaiToken {
    /// @notice The only chain a faucet may be deployed on: Hardhat's, the devnet's.
    uint256 public constant DEVNET_CHAIN_ID = 31337;

    string public constant name = "Cuckoo AI";
    string public constant symbol = "CAI";
    uint8 public constant decimals = 18;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    address public owner;
    /// @notice The address `transferOwnership` named, until it accepts (zero when none).
    address public pendingOwner;
    bool public faucetEnabled;
    /// @notice Tokens minted by one faucet call.
    uint256 public immutable faucetAmount;
    /// @notice Seconds an address waits between two faucet calls.
    uint256 public immutable faucetCooldown;
    /// @notice When each address last used the faucet (0 = never).
    mapping(address => uint256) public lastFaucetAt;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event FaucetUsed(address indexed recipient, uint256 amount, uint256 nextAvailableAt);
    event FaucetToggled(bool enabled);
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error NotPendingOwner(address caller);
    /// @notice A faucet was asked for off the devnet chain, or with no cooldown (which would mint without limit).
    error FaucetNotAllowed(uint256 chainId, uint256 cooldown);
    error ZeroAddress();
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    error FaucetDisabled();
    error FaucetCooldown(address recipient, uint256 availableAt);

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(uint256 initialSupply, uint256 faucetAmount_, uint256 faucetCooldown_) {
        if (faucetAmount_ > 0 && (block.chainid != DEVNET_CHAIN_ID || faucetCooldown_ == 0)) {
            revert FaucetNotAllowed(block.chainid, faucetCooldown_);
        }
        owner = msg.sender;
        faucetAmount = faucetAmount_;
        faucetCooldown = faucetCooldown_;
        faucetEnabled = faucetAmount_ > 0;
        emit OwnershipTransferred(address(0), msg.sender);
        if (faucetEnabled) emit FaucetToggled(true);
        _mint(msg.sender, initialSupply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        if (spender == address(0)) revert ZeroAddress();
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(from, msg.sender, allowed, value);
            unchecked {
                allowance[from][msg.sender] = allowed - value;
            }
        }
        _transfer(from, to, value);
        return true;
    }

    /// @notice Mints `faucetAmount` to the caller, at most once per `faucetCooldown` seconds per address.
    function faucet() external {
        if (!faucetEnabled) revert FaucetDisabled();
        uint256 last = lastFaucetAt[msg.sender];
        if (last != 0 && block.timestamp < last + faucetCooldown) {
            revert FaucetCooldown(msg.sender, last + faucetCooldown);
        }
        lastFaucetAt[msg.sender] = block.timestamp;
        _mint(msg.sender, faucetAmount);
        emit FaucetUsed(msg.sender, faucetAmount, block.timestamp + faucetCooldown);
    }

    /// @notice When `account` may next use the faucet (0 = now).
    function faucetAvailableAt(address account) external view returns (uint256) {
        uint256 last = lastFaucetAt[account];
        if (last == 0 || block.timestamp >= last + faucetCooldown) return 0;
        return last + faucetCooldown;
    }

    /// @notice Turns the faucet off and on; a token deployed without one can never turn it on.
    function setFaucetEnabled(bool enabled) external onlyOwner {
        if (enabled && faucetAmount == 0) revert FaucetNotAllowed(block.chainid, faucetCooldown);
        faucetEnabled = enabled;
        emit FaucetToggled(enabled);
    }

    /// @notice Names the next owner; nothing changes until it calls `acceptOwnership`. A later call replaces it.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        if (msg.sender != pendingOwner) revert NotPendingOwner(msg.sender);
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
    }

    /// @notice Destroys `value` of the caller's tokens.
    function burn(uint256 value) external {
        uint256 balance = balanceOf[msg.sender];
        if (balance < value) revert InsufficientBalance(msg.sender, balance, value);
        unchecked {
            balanceOf[msg.sender] = balance - value;
            totalSupply -= value;
        }
        emit Transfer(msg.sender, address(0), value);
    }

    function _transfer(address from, address to, uint256 value) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }

    function _mint(address to, uint256 value) private {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }
}
